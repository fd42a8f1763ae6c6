import type { MessageEvent } from '@nestjs/common';
import { interval, map, merge, Observable } from 'rxjs';
import { InvalidInputError } from './domain-errors.js';

const HEARTBEAT_MS = 25_000;

/** The comment (`: ready`) a stream sends once subscribed: a client waits for it instead of guessing with a sleep. */
export const SSE_READY_COMMENT = 'ready';

/**
 * What every Server-Sent Events endpoint answers: its events, a `: ready` comment
 * as soon as it is subscribed to them (a client that waits for it misses nothing
 * that happens afterwards), and now and then a comment that keeps proxies from
 * closing a quiet stream. Clients ignore comments.
 */
export function serverSentEvents(events: Observable<MessageEvent>): Observable<MessageEvent> {
  return new Observable<MessageEvent>((subscriber) => {
    const subscription = merge(events, interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'keep-alive' })))).subscribe(
      subscriber,
    );
    subscriber.next({ comment: SSE_READY_COMMENT });
    return subscription;
  });
}

const EVENT_ID = /^\d{1,19}$/;

/**
 * Where a stream resumes: the Last-Event-ID a reconnecting EventSource sends, else the
 * position a page was rendered at (`after`), else undefined: from what happens next.
 */
export function resumePoint(lastEventId?: string, after?: unknown): string | undefined {
  if (lastEventId !== undefined && !EVENT_ID.test(lastEventId))
    throw new InvalidInputError('Last-Event-ID: must be an event id this server sent', 'Last-Event-ID');
  if (after !== undefined && (typeof after !== 'string' || !EVENT_ID.test(after)))
    throw new InvalidInputError('after: must be an event id this server sent', 'after');
  return lastEventId ?? (after as string | undefined);
}
