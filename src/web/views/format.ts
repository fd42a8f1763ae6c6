const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** 22 Nov 2026, in UTC so every visitor sees the same date. */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

/** 2.9K, 130K. */
export function formatCount(count: number): string {
  return compact.format(count);
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
