import type { InboxContext } from '@fedify/fedify';
import type { Delete } from '@fedify/vocab';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';
import { refuse } from './same-origin.js';

/**
 * Delete: an account deleting itself stops following every profile; otherwise it withdraws a
 * reply or mention. Only its own author may delete it (the same server is not enough): the
 * author is who the inbox stored, never what the Delete embeds, so nothing is fetched.
 */
export function onDelete(targets: InboundTargets, inbox: InboxService, followers: FollowersRepository) {
  return async (_ctx: InboxContext<void>, activity: Delete): Promise<void> => {
    const actorId = activity.actorId!;
    const objectId = activity.objectId;
    if (!objectId) return refuse(activity, 'it has no object');
    if (objectId.href === actorId.href) {
      for (const profile of await targets.listProfiles()) await followers.end(profile.id, 'activitypub', objectId.href);
      return;
    }
    if ((await inbox.withdraw('activitypub', objectId.href, { authorId: actorId.href })) === 'not-author')
      refuse(activity, 'the actor did not author the stored reply or mention');
  };
}
