import type { InboxContext } from '@fedify/fedify';
import type { Delete } from '@fedify/vocab';
import type { FollowersRepository } from '../../../audience/followers.repository.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';

/**
 * Delete: an account deleting itself stops following every profile; otherwise it withdraws a
 * reply or mention. Only its own author may delete it (the same server is not enough).
 */
export function onDelete(targets: InboundTargets, inbox: InboxService, followers: FollowersRepository) {
  return async (_ctx: InboxContext<void>, activity: Delete): Promise<void> => {
    const objectId = activity.objectId;
    if (!objectId || !activity.actorId || objectId.origin !== activity.actorId.origin) return;
    if (objectId.href === activity.actorId.href) {
      for (const profile of await targets.listProfiles()) await followers.end(profile.id, 'activitypub', objectId.href);
      return;
    }
    await inbox.withdraw('activitypub', objectId.href, { authorId: activity.actorId.href });
  };
}
