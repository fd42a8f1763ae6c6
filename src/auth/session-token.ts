import { parse } from 'cookie';

export const SESSION_COOKIE = 'herald_session';

/** How the request carries its session: a bearer token (API clients) or the console's cookie. */
export interface PresentedSession {
  token: string;
  via: 'bearer' | 'cookie';
}

/**
 * The session from `Authorization: Bearer …`, else from the console's cookie.
 * Any other Authorization scheme (e.g. Basic, which a browser resends on its own
 * to a site behind a password-protected proxy) leaves the cookie in charge.
 */
export function sessionFrom(headers: { authorization?: string; cookie?: string }): PresentedSession | undefined {
  const authorization = headers.authorization;
  if (authorization && /^Bearer\s/i.test(authorization)) {
    const token = authorization.slice('Bearer '.length).trim();
    return token ? { token, via: 'bearer' } : undefined;
  }
  const cookie = headers.cookie ? parse(headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}
