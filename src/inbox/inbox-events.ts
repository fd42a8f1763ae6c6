import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { EventLogRecord } from '../event-log/event-log.entity.js';
import { EventLogRepository } from '../event-log/event-log.repository.js';
import { EventLogTail } from '../event-log/event-log-tail.js';
import { toInboxItem } from './inbox-item.js';
import type { Interaction } from './interaction.entity.js';

export type InboxEventType = 'interaction.received' | 'interaction.updated' | 'interaction.withdrawn';

export interface InboxEvent {
  type: InboxEventType;
  interaction: Interaction;
}

/** Inbox changes on the shared event log (topic `inbox`), so every process's console streams hear them. */
@Injectable()
export class InboxEvents {
  constructor(
    private readonly log: EventLogRepository,
    private readonly tail: EventLogTail,
  ) {}

  /** Pass the change's transaction (a repository's EntityManager) so the event and the change commit together. */
  async emit(event: InboxEvent, transaction?: EntityManager): Promise<EventLogRecord> {
    const [record] = await this.emitAll(event.type, [event.interaction], transaction);
    return record;
  }

  /** One event per interaction, in order, in one write. */
  emitAll(type: InboxEventType, interactions: readonly Interaction[], transaction?: EntityManager): Promise<EventLogRecord[]> {
    return this.log.append(
      'inbox',
      interactions.map((interaction) => ({
        profileId: interaction.profileId,
        type,
        subjectId: interaction.id,
        payload: toInboxItem(interaction) as never,
      })),
      transaction,
    );
  }

  /** A profile's inbox events after afterId (or from now), then live: no gap, no duplicate. */
  stream(profileId: string, afterId?: string): Observable<EventLogRecord> {
    return this.tail.stream('inbox', profileId, afterId);
  }
}
