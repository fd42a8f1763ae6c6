import type { InboxContext } from '@fedify/fedify';
import { isActor, type Move } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { OutgoingHttp } from '../../../net/outgoing-http.js';
import { hasDeliverableInboxes } from '../actor-inboxes.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor, followerFromActor } from '../interaction-from-activity.js';
import { freshLoader, refuse } from './same-origin.js';

/**
 * Move: a follower (the signer) moved account; the new account takes its place. The new account
 * is always read from its own server, afresh, never from the Move: an embedded copy could give
 * any account's id with the sender's inbox. It must name the old account in alsoKnownAs.
 */
export function onMove(
  targets: InboundTargets,
  audience: AudienceService,
  followers: FollowersRepository,
  fetchFresh: DocumentLoader,
  http: OutgoingHttp,
) {
  return async (ctx: InboxContext<void>, move: Move): Promise<void> => {
    const from = move.actorId!;
    if (move.objectId?.href !== from.href) return refuse(move, 'its object is not its actor');
    const targetId = move.targetId;
    if (!targetId) return refuse(move, 'it has no target');
    const target = await ctx
      .lookupObject(targetId.href, {
        documentLoader: await freshLoader(ctx, fetchFresh),
        contextLoader: ctx.contextLoader,
        signal: AbortSignal.timeout(10_000),
      })
      .catch(() => null);
    if (!target || !isActor(target) || target.id?.href !== targetId.href)
      return refuse(move, `no actor could be fetched at ${targetId.href}`);
    if (!target.aliasIds.some((alias) => alias.href === from.href))
      return refuse(move, `${targetId.href} does not list the actor in alsoKnownAs`);
    if (!(await hasDeliverableInboxes(http, target, 'move'))) return;
    const author = await authorFromActor(target);
    for (const profile of await targets.listProfiles()) {
      if (!(await followers.isActive(profile.id, 'activitypub', from.href))) continue;
      if (await targets.refuses(profile.id, target)) continue;
      await audience.moved(profile.id, 'activitypub', from.href, followerFromActor(profile.id, target, author, move.id!.href));
    }
  };
}
