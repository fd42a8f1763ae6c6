import type { InboxContext } from '@fedify/fedify';
import { type Announce, Emoji, type EmojiReact, type Like } from '@fedify/vocab';
import type { InboxService } from '../../../inbox/inbox.service.js';
import type { InboundTargets } from '../inbound-targets.js';
import { authorFromActor, reactionFrom } from '../interaction-from-activity.js';
import type { RecentActors } from './recent-actors.js';

/**
 * Like → 'like', Announce → 'repost', when they are about one of our posts. A Like with an
 * emoji (Misskey: `content`/`_misskey_reaction`) and an EmojiReact (Pleroma) are likes that keep it.
 */
export function onReaction(kind: 'like' | 'repost', targets: InboundTargets, inbox: InboxService, actors: RecentActors) {
  return async (ctx: InboxContext<void>, activity: Like | Announce | EmojiReact): Promise<void> => {
    if (!activity.id || !activity.actorId) return;
    // Read first: Fedify keeps the activity as sent only until a getter (getActor…) fetches into it.
    const emoji = kind === 'like' ? await emojiOf(activity) : null;
    const target = await targets.post(ctx, activity.objectId);
    if (!target || (await targets.refuses(target.profile.id, activity.actorId))) return;
    const actor = await actors.of(ctx, activity);
    if (!actor) return;
    await inbox.receive({
      profileId: target.profile.id,
      protocol: 'activitypub',
      kind,
      remoteId: activity.id.href,
      author: await authorFromActor(actor),
      targetPostId: target.postId,
      reaction: emoji ? reactionFrom(emoji, await customEmojisOf(ctx, activity)) : null,
      createdAt: activity.published ? new Date(activity.published.epochMilliseconds) : null,
    });
  };
}

/** `content`, or Misskey's own `_misskey_reaction` (read from the activity as sent, which Fedify keeps). */
async function emojiOf(activity: Like | Announce | EmojiReact): Promise<string | null> {
  const content = activity.content?.toString();
  if (content) return content;
  const sent = (await activity.toJsonLd()) as Record<string, unknown>;
  return typeof sent._misskey_reaction === 'string' ? sent._misskey_reaction : null;
}

async function customEmojisOf(ctx: InboxContext<void>, activity: Like | Announce | EmojiReact) {
  const loaders = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true };
  const emojis: Array<{ name: string; imageUrl: string | null }> = [];
  for await (const tag of activity.getTags(loaders)) {
    if (!(tag instanceof Emoji) || !tag.name) continue;
    const icon = await tag.getIcon(loaders);
    const url = icon?.url instanceof URL ? icon.url : (icon?.url?.href ?? null);
    emojis.push({ name: tag.name.toString(), imageUrl: url?.href ?? null });
    if (emojis.length >= 20) break;
  }
  return emojis;
}
