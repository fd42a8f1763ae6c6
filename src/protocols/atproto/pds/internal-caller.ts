import { createHash, timingSafeEqual } from 'node:crypto';

/** Herald's own calls to its PDS carry this header, so the PDS's login rate limit does not apply to them. */
export const INTERNAL_CALLER_HEADER = 'x-herald-internal';

/**
 * The header's value: derived from the PDS admin password, which every Herald process already holds (a worker reads
 * it from DATA_DIR or ATPROTO_ADMIN_PASSWORD), so no new secret is needed and the password itself never travels in it.
 */
export function internalCallerToken(adminPassword: string): string {
  return createHash('sha256').update(`herald internal caller\0${adminPassword}`).digest('base64url');
}

export function isInternalCaller(header: string | string[] | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A fetch for Herald's own PDS clients: it names Herald as the caller. */
export function internalFetch(token: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    headers.set(INTERNAL_CALLER_HEADER, token);
    return fetch(input, { ...init, headers });
  };
}
