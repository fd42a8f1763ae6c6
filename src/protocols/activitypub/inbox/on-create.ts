import type { InboxContext } from '@fedify/fedify';
import { Article, type Create, isActor, Mention, Note } from '@fedify/vocab';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor, interactionFromPostObject } from '../interaction-from-activity.js';

/** Create(Note/Article) replying to one of our posts (reply) or naming one of our profiles (mention). */
export function onCreate(targets: InboundTargets, inbox: InboxService) {
  return async (ctx: InboxContext<void>, create: Create): Promise<void> => {
    if (!create.actorId) return;
    const object = await create.getObject(ctx);
    if (!(object instanceof Note || object instanceof Article) || !object.id) return;
    if (object.attributionId?.href !== create.actorId.href || object.id.origin !== create.actorId.origin) return;
    const replyTarget = await targets.post(ctx, object.replyTargetId);
    const mentioned = [];
    for await (const tag of object.getTags(ctx)) {
      if (!(tag instanceof Mention)) continue;
      const profile = await targets.profile(ctx, tag.href);
      if (profile && profile.id !== replyTarget?.profile.id) mentioned.push(profile);
    }
    if (!replyTarget && mentioned.length === 0) return;
    const actor = await create.getActor(ctx);
    if (!actor || !isActor(actor) || actor.id?.href !== create.actorId.href) return;
    const author = await authorFromActor(actor);
    // One interaction per (protocol, remoteId): a reply to our post wins over a mention; else the first profile named.
    const target = replyTarget
      ? { profileId: replyTarget.profile.id, postId: replyTarget.postId, kind: 'reply' as const }
      : { profileId: mentioned[0].id, postId: null, kind: 'mention' as const };
    if (await targets.refuses(target.profileId, actor)) return;
    await inbox.receive(interactionFromPostObject(object, actor, author, target));
  };
}
