import type { InboxContext } from '@fedify/fedify';
import { isActor, type Move } from '@fedify/vocab';
import type { AudienceService } from '../../../audience/audience.service.js';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor, followerFromActor } from '../interaction-from-activity.js';

/** Move: a follower moved account; the new account, which must name the old one in alsoKnownAs, takes its place. */
export function onMove(targets: InboundTargets, audience: AudienceService, followers: FollowersRepository) {
  return async (ctx: InboxContext<void>, move: Move): Promise<void> => {
    const from = move.actorId;
    if (!from || !move.id || move.objectId?.href !== from.href) return;
    const target = await move.getTarget(ctx);
    if (!target || !isActor(target) || !target.id || !target.aliasIds.some((alias) => alias.href === from.href)) return;
    const author = await authorFromActor(target);
    for (const profile of await targets.listProfiles()) {
      if (!(await followers.isActive(profile.id, 'activitypub', from.href))) continue;
      if (await targets.refuses(profile.id, target)) continue;
      await audience.moved(profile.id, 'activitypub', from.href, followerFromActor(profile.id, target, author, move.id.href));
    }
  };
}
