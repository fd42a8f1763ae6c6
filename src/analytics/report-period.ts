import { Temporal } from '@js-temporal/polyfill';
import { InvalidInputError } from '../common/domain-errors.js';

/** Longest period a report covers: three years of days. */
export const MAX_PERIOD_DAYS = 1100;

/** A report's period: whole local days `from`..`to` (both included) in an IANA time zone. */
export interface ReportPeriod {
  from: string;
  to: string;
  timeZone: string;
  /** The period's first and last instants' bounds: [start, end). */
  start: Date;
  end: Date;
  days: number;
}

function plainDate(value: string, field: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidInputError(`${field}: expected a date as YYYY-MM-DD, got "${value}"`, field);
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    throw new InvalidInputError(`${field}: ${value} is not a date in the calendar`, field);
  }
}

/** An IANA time zone name both Temporal and PostgreSQL read the same way. */
export function assertTimeZone(timeZone: string): void {
  // Names only: offsets such as +02:00 have no daylight saving and PostgreSQL reads their sign the POSIX way (reversed).
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone))
    throw new InvalidInputError(`timeZone: expected an IANA time zone name such as Europe/Brussels, got "${timeZone}"`, 'timeZone');
  try {
    Temporal.Now.zonedDateTimeISO(timeZone);
  } catch {
    throw new InvalidInputError(`timeZone: ${timeZone} is not a known IANA time zone`, 'timeZone');
  }
}

function zoned(date: Temporal.PlainDate, timeZone: string): Date {
  return new Date(date.toZonedDateTime({ timeZone }).epochMilliseconds);
}

/**
 * Validates a period given as local dates and a time zone (IANA name, e.g.
 * Europe/Brussels): days start at local midnight, so a day across a DST change
 * is 23 or 25 hours long, as the people reading the report lived it.
 */
export function reportPeriod(from: string, to: string, timeZone = 'UTC'): ReportPeriod {
  const first = plainDate(from, 'from');
  const last = plainDate(to, 'to');
  assertTimeZone(timeZone);
  if (Temporal.PlainDate.compare(first, last) > 0) throw new InvalidInputError(`to: ${to} is before from (${from})`, 'to');
  const days = first.until(last, { largestUnit: 'days' }).days + 1;
  if (days > MAX_PERIOD_DAYS) throw new InvalidInputError(`to: a period covers at most ${MAX_PERIOD_DAYS} days, this one ${days}`, 'to');
  return { from, to, timeZone, start: zoned(first, timeZone), end: zoned(last.add({ days: 1 }), timeZone), days };
}
