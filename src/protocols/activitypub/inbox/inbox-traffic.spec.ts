import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { InboxTraffic } from './inbox-traffic.js';
import type { InboxFastLane } from './inbox-fast-lane.js';

describe('InboxTraffic', () => {
  it('logs one line for a minute of inbox answers, and nothing for a quiet minute', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const lane = { counts: { accepted: 0, deferred: 0 } } as InboxFastLane;
      const traffic = new InboxTraffic(lane, 3_600_000);
      for (const status of [202, 202, 202, 401, 413, 500]) traffic.answered(status);
      lane.counts.accepted = 2;
      traffic.summarize();
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][1]).toBe('Inbox, last minute: 3 accepted (2 in the fast lane), 2 refused, 1 failed');
      traffic.summarize();
      expect(log).toHaveBeenCalledTimes(1);
      traffic.answered(202);
      lane.counts.accepted = 3;
      traffic.summarize();
      expect(log.mock.calls[1][1]).toBe('Inbox, last minute: 1 accepted (1 in the fast lane), 0 refused, 0 failed');
    } finally {
      log.mockRestore();
    }
  });
});
