import type { MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';

/** The comment (`: ready`) an event stream sends once it is subscribed. */
export const SSE_READY_COMMENT = 'ready';

/**
 * Sends `: ready` as soon as `events` is subscribed: from then on nothing the
 * stream carries can be missed, so a client (a test) waits for it instead of
 * guessing with a sleep. Browsers' EventSource ignores comments.
 */
export function announceReady(events: Observable<MessageEvent>): Observable<MessageEvent> {
  return new Observable<MessageEvent>((subscriber) => {
    const subscription = events.subscribe(subscriber);
    subscriber.next({ comment: SSE_READY_COMMENT });
    return subscription;
  });
}
