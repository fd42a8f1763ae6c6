import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { Interaction } from './interaction.entity.js';

export type InboxEvent =
  | { type: 'interaction.received'; interaction: Interaction }
  | { type: 'interaction.updated'; interaction: Interaction }
  | { type: 'interaction.withdrawn'; interaction: Interaction };

/** In-process stream of inbox changes; the live console subscribes to it. */
@Injectable()
export class InboxEvents {
  private readonly subject = new Subject<InboxEvent>();

  get stream(): Observable<InboxEvent> {
    return this.subject.asObservable();
  }

  emit(event: InboxEvent): void {
    this.subject.next(event);
  }
}
