import { InvalidInputError } from '../common/domain-errors.js';
import { reportPeriod } from './report-period.js';

describe('reportPeriod', () => {
  it('starts and ends the period at local midnight in the time zone', () => {
    const period = reportPeriod('2026-01-01', '2026-01-31', 'Europe/Brussels');
    expect(period.start.toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-01-31T23:00:00.000Z');
    expect(period.days).toBe(31);
  });

  it('gives a day across a daylight-saving change its real length', () => {
    const period = reportPeriod('2026-03-29', '2026-03-29', 'Europe/Brussels');
    expect(period.end.getTime() - period.start.getTime()).toBe(23 * 3600_000);
  });

  it('defaults to UTC', () => {
    expect(reportPeriod('2026-05-01', '2026-05-01').start.toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  it.each([
    ['2026-02-30', '2026-03-01', 'UTC', 'from'],
    ['2026-3-1', '2026-03-01', 'UTC', 'from'],
    ['2026-03-02', '2026-03-01', 'UTC', 'to'],
    ['2020-01-01', '2026-03-01', 'UTC', 'to'],
    ['2026-03-01', '2026-03-01', 'Mars/Olympus_Mons', 'timeZone'],
    ['2026-03-01', '2026-03-01', '+02:00', 'timeZone'],
    ['2026-03-01', '2026-03-01', "UTC'; DROP TABLE post; --", 'timeZone'],
  ])('refuses from=%s to=%s timeZone=%s, naming %s', (from, to, timeZone, field) => {
    expect(() => reportPeriod(from, to, timeZone)).toThrow(InvalidInputError);
    try {
      reportPeriod(from, to, timeZone);
    } catch (error) {
      expect((error as InvalidInputError).field).toBe(field);
    }
  });
});
