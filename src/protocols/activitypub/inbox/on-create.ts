import type { InboxContext } from '@fedify/fedify';
import { Article, type Create, Mention, Note } from '@fedify/vocab';
import type { Profile } from '../../../profiles/profile.entity.js';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { OutgoingHttp } from '../../../net/outgoing-http.js';
import { hasDeliverableInboxes } from '../actor-inboxes.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor, interactionFromPostObject } from '../interaction-from-activity.js';
import type { RecentActors } from './recent-actors.js';

/** How many tags and addressees are looked at for our profiles: enough for any real post. */
const MAX_NAMED = 40;

/**
 * Create(Note/Article) replying to one of our posts (reply), quoting one (quote: FEP-044f `quote`,
 * `quoteUrl`, Misskey's `_misskey_quote`), or naming one of our profiles in a Mention tag or its
 * to/cc (mention; a direct message may address us without a Mention tag). Its author's inboxes are
 * kept to answer it, so they must pass the address check.
 */
export function onCreate(targets: InboundTargets, inbox: InboxService, http: OutgoingHttp, actors: RecentActors) {
  return async (ctx: InboxContext<void>, create: Create): Promise<void> => {
    if (!create.actorId) return;
    const object = await create.getObject(ctx);
    if (!(object instanceof Note || object instanceof Article) || !object.id) return;
    if (object.attributionId?.href !== create.actorId.href || object.id.origin !== create.actorId.origin) return;
    const replyTarget = await targets.post(ctx, object.replyTargetId);
    const quoteTarget = replyTarget ? null : await targets.post(ctx, object.quoteId ?? object.quoteUrl);
    const mentioned = await mentionedProfiles(ctx, targets, object);
    if (!replyTarget && !quoteTarget && mentioned.length === 0) return;
    const actor = await actors.of(ctx, create);
    if (!actor) return;
    const author = await authorFromActor(actor);
    // One interaction per (protocol, remoteId): a reply to our post wins over a quote, a quote over a mention.
    const target = replyTarget
      ? { profileId: replyTarget.profile.id, postId: replyTarget.postId, kind: 'reply' as const }
      : quoteTarget
        ? { profileId: quoteTarget.profile.id, postId: quoteTarget.postId, kind: 'quote' as const }
        : { profileId: mentioned[0].id, postId: null, kind: 'mention' as const };
    if (await targets.refuses(target.profileId, actor)) return;
    if (!(await hasDeliverableInboxes(http, actor, target.kind))) return;
    await inbox.receive(interactionFromPostObject(object, actor, author, target));
  };
}

/** Our profiles the object names: Mention tags first, then its addressees. */
async function mentionedProfiles(ctx: InboxContext<void>, targets: InboundTargets, object: Note | Article): Promise<Profile[]> {
  const named: URL[] = [];
  for await (const tag of object.getTags(ctx)) {
    if (tag instanceof Mention && tag.href) named.push(tag.href);
    if (named.length >= MAX_NAMED) break;
  }
  named.push(...[...object.toIds, ...object.ccIds].slice(0, MAX_NAMED));
  const profiles: Profile[] = [];
  for (const href of named) {
    const profile = await targets.profile(ctx, href);
    if (profile && !profiles.some((known) => known.id === profile.id)) profiles.push(profile);
  }
  return profiles;
}
