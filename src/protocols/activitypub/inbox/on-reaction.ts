import type { InboxContext } from '@fedify/fedify';
import { type Announce, isActor, type Like } from '@fedify/vocab';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor } from '../interaction-from-activity.js';

/** Like → 'like', Announce → 'repost', when they are about one of our posts. */
export function onReaction(kind: 'like' | 'repost', targets: InboundTargets, inbox: InboxService) {
  return async (ctx: InboxContext<void>, activity: Like | Announce): Promise<void> => {
    if (!activity.id || !activity.actorId) return;
    const target = await targets.post(ctx, activity.objectId);
    if (!target || (await targets.refuses(target.profile.id, activity.actorId))) return;
    const actor = await activity.getActor(ctx);
    if (!actor || !isActor(actor) || actor.id?.href !== activity.actorId.href) return;
    await inbox.receive({
      profileId: target.profile.id,
      protocol: 'activitypub',
      kind,
      remoteId: activity.id.href,
      author: await authorFromActor(actor),
      targetPostId: target.postId,
      createdAt: activity.published ? new Date(activity.published.epochMilliseconds) : null,
    });
  };
}
