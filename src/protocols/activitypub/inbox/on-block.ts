import type { InboxContext } from '@fedify/fedify';
import type { Block } from '@fedify/vocab';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboundTargets } from '../inbound-targets.js';

/**
 * Block: a remote account blocked one of our profiles. Its follow ends (we must not deliver to it);
 * nothing goes to the inbox, since there is nothing for staff to answer.
 */
export function onBlock(targets: InboundTargets, followers: FollowersRepository) {
  return async (ctx: InboxContext<void>, block: Block): Promise<void> => {
    if (!block.actorId) return;
    const profile = await targets.profile(ctx, block.objectId);
    if (profile) await followers.end(profile.id, 'activitypub', block.actorId.href);
  };
}
