import { backoffDelayMs, inPlainTime, mayAttempt, shouldLog } from './network-backoff.rules.js';

const settings = { baseSeconds: 600, maxSeconds: 6 * 3600, logPeriodSeconds: 3600 };

describe('network backoff', () => {
  it('waits from the first account failure: 10 minutes, then doubling, capped at the maximum', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => backoffDelayMs(failures, settings) / 60_000);
    expect(waits).toEqual([10, 20, 40, 80, 160, 320, 360, 360]);
  });

  it('lets publishing retry the tolerated failures on its own before the network waits', () => {
    expect([1, 2, 3, 4].map((failures) => backoffDelayMs(failures, settings, 2) / 60_000)).toEqual([0, 0, 10, 20]);
  });

  it('never waits without a failure, and stays finite after very many', () => {
    expect(backoffDelayMs(0, settings)).toBe(0);
    expect(backoffDelayMs(10_000, settings)).toBe(6 * 3600 * 1000);
  });

  it('allows an attempt once the next attempt time has come, and logs once per period', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(mayAttempt(null, now)).toBe(true);
    expect(mayAttempt(new Date('2026-11-23T12:10:00Z'), now)).toBe(false);
    expect(mayAttempt(new Date('2026-11-23T11:59:59Z'), now)).toBe(true);
    expect(shouldLog(null, now)).toBe(true);
    expect(shouldLog(new Date('2026-11-23T12:30:00Z'), now)).toBe(false);
    expect(shouldLog(new Date('2026-11-23T12:00:00Z'), now)).toBe(true);
  });

  it('says waits as people do', () => {
    expect(inPlainTime(600_000)).toBe('10 minutes');
    expect(inPlainTime(1_000)).toBe('1 second');
    expect(inPlainTime(3 * 3600_000)).toBe('3 hours');
    expect(inPlainTime(60_000)).toBe('60 seconds');
  });
});
