import type { MessageEvent } from '@nestjs/common';
import { Subject } from 'rxjs';
import { announceReady } from './sse-ready.js';

describe('announceReady', () => {
  it('sends the ready comment once the events are subscribed, then the events', () => {
    const events = new Subject<MessageEvent>();
    const seen: Array<{ subscribed: boolean; message: MessageEvent }> = [];
    announceReady(events).subscribe((message) => seen.push({ subscribed: events.observed, message }));
    events.next({ id: '1', data: 'first' });
    expect(seen).toEqual([
      { subscribed: true, message: { comment: 'ready' } },
      { subscribed: true, message: { id: '1', data: 'first' } },
    ]);
  });

  it('unsubscribes from the events when the client goes', () => {
    const events = new Subject<MessageEvent>();
    announceReady(events).subscribe().unsubscribe();
    expect(events.observed).toBe(false);
  });
});
