import type { InboxContext } from '@fedify/fedify';
import { type Flag, isActor } from '@fedify/vocab';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor } from '../interaction-from-activity.js';

/** Flag: a remote server reports one of our profiles or posts; it lands in the inbox as a 'report'. */
export function onFlag(targets: InboundTargets, inbox: InboxService) {
  return async (ctx: InboxContext<void>, flag: Flag): Promise<void> => {
    if (!flag.id || !flag.actorId) return;
    let profileId: string | null = null;
    let postId: string | null = null;
    for (const objectId of flag.objectIds) {
      const post = await targets.post(ctx, objectId);
      if (post) ({ profileId, postId } = { profileId: post.profile.id, postId: post.postId });
      else profileId ??= (await targets.profile(ctx, objectId))?.id ?? null;
    }
    if (!profileId || (await targets.refuses(profileId, flag.actorId))) return;
    const actor = await flag.getActor(ctx);
    const author = actor && isActor(actor) ? await authorFromActor(actor) : { id: flag.actorId.href, domain: flag.actorId.host };
    await inbox.receive({
      profileId,
      protocol: 'activitypub',
      kind: 'report',
      remoteId: flag.id.href,
      author,
      targetPostId: postId,
      text: flag.content?.toString() ?? null,
    });
  };
}
