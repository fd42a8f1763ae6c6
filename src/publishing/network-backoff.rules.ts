/** Rules of the per-profile, per-network backoff: pure, so they are tested without a clock or a database. */

export interface BackoffSettings {
  baseSeconds: number;
  maxSeconds: number;
  logPeriodSeconds: number;
}

/**
 * The wait after the `failures`-th failure in a row: none for the first `tolerated` ones (a single
 * flaky request is retried by its own job), then base, doubling, never above the maximum.
 */
export function backoffDelayMs(failures: number, settings: BackoffSettings, tolerated = 0): number {
  if (failures <= tolerated) return 0;
  // Capped exponent: 2^30 already exceeds any sensible maximum, and keeps the number finite.
  const seconds = settings.baseSeconds * 2 ** Math.min(failures - tolerated - 1, 30);
  return Math.min(seconds, settings.maxSeconds) * 1000;
}

/** Whether a failure is written to the log: the first one of a period, not every attempt. */
export function shouldLog(loggedUntil: Date | null, now: Date): boolean {
  return !loggedUntil || loggedUntil.getTime() <= now.getTime();
}

/** Whether an attempt may go ahead now, or must wait for the next attempt time. */
export function mayAttempt(nextAttemptAt: Date | null, now: Date): boolean {
  return !nextAttemptAt || nextAttemptAt.getTime() <= now.getTime();
}

/** "10 minutes", "2 hours", "30 seconds": for people, rounded. */
export function inPlainTime(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}
