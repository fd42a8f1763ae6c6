import { parse } from 'cookie';

export const SESSION_COOKIE = 'herald_session';

/** The session token from `Authorization: Bearer …` or the console's cookie. */
export function sessionTokenFrom(headers: { authorization?: string; cookie?: string }): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim() || undefined;
  if (headers.cookie) return parse(headers.cookie)[SESSION_COOKIE] || undefined;
  return undefined;
}
