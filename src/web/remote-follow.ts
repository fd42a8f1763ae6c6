import { InvalidInputError } from '../common/domain-errors.js';

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}(:\d{1,5})?$/;

/**
 * Where to send a visitor who wants to follow from their own fediverse server.
 * Accepts `mastodon.social`, `https://mastodon.social/…` or `@me@mastodon.social`;
 * Mastodon, Misskey forks and others answer `/authorize_interaction?uri=…`.
 */
export function remoteFollowUrl(server: string, actorUrl: string): string {
  let host = server.trim().toLowerCase();
  if (host.includes('@')) host = host.slice(host.lastIndexOf('@') + 1);
  host = host.replace(/^https?:\/\//, '').replace(/[/?#].*$/, '');
  if (!HOST.test(host)) throw new InvalidInputError('server: enter the address of your server, such as mastodon.social', 'server');
  return `https://${host}/authorize_interaction?uri=${encodeURIComponent(actorUrl)}`;
}
