import { isIP } from 'node:net';
import { InvalidInputError } from '../common/domain-errors.js';

export const SUBSCRIBE_REL = 'http://ostatus.org/schema/1.0/subscribe';

/** A fediverse account as a visitor types it: `@me@mastodon.social`, `me@mastodon.social` or `acct:me@…`. */
export interface FediverseAccount {
  user: string;
  /** Lower-case host name or IP literal, with its port when one was given. */
  host: string;
}

const USER = /^[a-z0-9_.~-]{1,64}$/i;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const PORT = /^\d{1,5}$/;

const invalid = () => new InvalidInputError('account: enter your full fediverse address, such as @you@mastodon.social', 'account');

/**
 * Reads the address a visitor typed. Only `user@host[:port]` passes: no scheme, path,
 * query, credentials or spaces, so nothing but a host name picks where we look.
 */
export function parseFediverseAccount(input: string): FediverseAccount {
  const address = input
    .trim()
    .replace(/^acct:/i, '')
    .replace(/^@/, '');
  const at = address.indexOf('@');
  if (at < 1 || address.indexOf('@', at + 1) !== -1) throw invalid();
  const user = address.slice(0, at);
  const authority = address.slice(at + 1).toLowerCase();
  if (!USER.test(user)) throw invalid();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(authority);
  const [name, port] = bracketed ? [bracketed[1], bracketed[2]] : authority.split(/:(?=[^:]*$)/);
  const ipv6 = isIP(name) === 6;
  if (ipv6 !== Boolean(bracketed)) throw invalid();
  if (!HOST_NAME.test(name) && isIP(name) === 0) throw invalid();
  if (port !== undefined && (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535)) throw invalid();
  const host = `${ipv6 ? `[${name}]` : name}${port ? `:${port}` : ''}`;
  return { user, host };
}

/**
 * The follow page the account's server named in its WebFinger `subscribe` template,
 * filled with our actor. An http page only when private addresses are allowed (tests).
 */
export function followUrlFromTemplate(template: string, actorUrl: string, allowHttp: boolean): string | null {
  if (!template.includes('{uri}')) return null;
  let url: URL;
  try {
    url = new URL(template.replaceAll('{uri}', encodeURIComponent(actorUrl)));
  } catch {
    return null;
  }
  const schemeAllowed = url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
  return schemeAllowed && !url.username && !url.password ? url.href : null;
}
