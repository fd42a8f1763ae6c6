import type { Logger } from 'pino';

type Level = 'error' | 'warn' | 'info';

/**
 * The level a PDS XRPC failure is logged at, from the status it was answered with: the PDS's XRPC server logs every
 * failure at error level, so outsiders' refused calls (bad credentials, malformed requests, unknown methods) would
 * flood the error log. Refused credentials and rate limits are worth a warning; other refusals are routine.
 */
export function levelForStatus(status: unknown): Level {
  if (typeof status !== 'number' || status >= 500) return 'error';
  if (status === 401 || status === 403 || status === 429) return 'warn';
  return 'info';
}

/**
 * Gives the request a logger whose `error` goes out at the level of the logged `status` (see levelForStatus);
 * everything else about the request's logger (its fields, its destination) stays.
 */
export function logRefusalsByStatus(request: { log?: Logger }): void {
  const log = request.log;
  if (!log) return;
  const leveled = Object.create(log) as Logger;
  const error = (fields: unknown, ...rest: unknown[]) => {
    const level = levelForStatus((fields as { status?: unknown } | null)?.status);
    (log[level] as (...args: unknown[]) => void)(fields, ...rest);
  };
  leveled.error = error as Logger['error'];
  request.log = leveled;
}
