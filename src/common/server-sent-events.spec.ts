import type { MessageEvent } from '@nestjs/common';
import { Subject } from 'rxjs';
import { InvalidInputError } from './domain-errors.js';
import { resumePoint, serverSentEvents } from './server-sent-events.js';

describe('serverSentEvents', () => {
  it('says ready only once it is subscribed: an event sent in answer to ready arrives', () => {
    const events = new Subject<MessageEvent>();
    const seen: MessageEvent[] = [];
    const subscription = serverSentEvents(events).subscribe((message) => {
      seen.push(message);
      if (message.comment === 'ready') events.next({ id: '1', type: 'publication.updated', data: {} });
    });
    subscription.unsubscribe();
    expect(seen).toEqual([{ comment: 'ready' }, { id: '1', type: 'publication.updated', data: {} }]);
  });
});

describe('resumePoint', () => {
  it("prefers a reconnecting browser's Last-Event-ID to the page's position", () => {
    expect(resumePoint('42', '7')).toBe('42');
    expect(resumePoint(undefined, '7')).toBe('7');
    expect(resumePoint()).toBeUndefined();
  });

  it('refuses anything but an event id, naming the field', () => {
    expect(() => resumePoint('abc')).toThrow(new InvalidInputError('Last-Event-ID: must be an event id this server sent', 'Last-Event-ID'));
    expect(() => resumePoint(undefined, ['1', '2'])).toThrow(/^after: /);
    expect(() => resumePoint(undefined, '1'.repeat(20))).toThrow(/^after: /);
  });
});
