import type { OutgoingHttp } from '../../net/outgoing-http.js';

const ACTOR_TYPES = new Set(['application/activity+json', 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"']);

interface Jrd {
  links?: Array<{ rel?: unknown; type?: unknown; href?: unknown }>;
}

/**
 * The ActivityPub actor a `user@host` names, by WebFinger (RFC 7033) over
 * OutgoingHttp, so the lookup has its time limit and the address check.
 * Null when the host does not answer with an actor link.
 */
export async function actorIdByWebFinger(http: OutgoingHttp, acct: string, timeoutMs: number): Promise<URL | null> {
  const host = acct.slice(acct.lastIndexOf('@') + 1);
  const url = new URL(`https://${host}/.well-known/webfinger`);
  url.searchParams.set('resource', `acct:${acct}`);
  const response = await http.fetch(url, { headers: { accept: 'application/jrd+json, application/json' }, timeoutMs });
  if (!response.ok) {
    await response.body?.cancel();
    return null;
  }
  const jrd = (await response.json()) as Jrd;
  const link = jrd.links?.find(
    (candidate) => candidate.rel === 'self' && typeof candidate.type === 'string' && ACTOR_TYPES.has(candidate.type),
  );
  return typeof link?.href === 'string' && URL.canParse(link.href) ? new URL(link.href) : null;
}
