import { type Actor, type Object as APObject, PUBLIC_COLLECTION } from '@fedify/vocab';
import type { FollowerInput } from '../../audience/followers.repository.js';
import type { Audience } from '../../common/audience.js';
import type { Reaction } from '../../inbox/interaction.entity.js';
import type { InteractionReceived } from '../../inbox/interaction-received.js';
import type { ActivityPubReplyRefs } from './activitypub-refs.js';

type Author = InteractionReceived['author'];

/** `user@host` of a remote actor, from its own document (no WebFinger round trip). */
export function acctOf(actor: Actor): string | null {
  if (!actor.id || !actor.preferredUsername) return null;
  return `${actor.preferredUsername}@${actor.id.host}`;
}

/** A remote actor as the author of an interaction. */
export async function authorFromActor(actor: Actor): Promise<Author> {
  const icon = await actor.getIcon().catch(() => null);
  const url = actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? actor.id!.href);
  return {
    id: actor.id!.href,
    handle: acctOf(actor),
    name: actor.name?.toString() ?? null,
    avatarUrl: icon?.url instanceof URL ? icon.url.href : (icon?.url?.href?.href ?? null),
    url,
    // host, not hostname: two servers on one name differ by port (mkadmin@localhost:3601).
    domain: actor.id!.host,
  };
}

/** What answering an AP interaction needs later: the object to reply to and where its author reads. */
function replyRefsFromObject(objectId: URL, actor: Actor): ActivityPubReplyRefs {
  return {
    objectId: objectId.href,
    authorId: actor.id!.href,
    authorAcct: acctOf(actor),
    authorInbox: actor.inboxId?.href ?? null,
    authorSharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
  };
}

/** A remote actor that follows a profile, with the Follow's id to match a later Undo. */
export function followerFromActor(profileId: string, actor: Actor, author: Author, followId: string): FollowerInput {
  return {
    profileId,
    protocol: 'activitypub',
    remoteActorId: actor.id!.href,
    handle: author.handle ?? null,
    displayName: author.name ?? null,
    avatarUrl: author.avatarUrl ?? null,
    profileUrl: author.url ?? null,
    inboxUrl: actor.inboxId?.href ?? null,
    sharedInboxUrl: actor.endpoints?.sharedInbox?.href ?? null,
    domain: actor.id!.hostname,
    followId,
  };
}

/** A remote Note/Article answering or mentioning a profile, as an inbox interaction. */
export function interactionFromPostObject(
  object: APObject,
  actor: Actor,
  author: Author,
  target: { profileId: string; postId: string | null; kind: 'reply' | 'mention' | 'quote' },
): InteractionReceived {
  const url = object.url instanceof URL ? object.url.href : (object.url?.href?.href ?? object.id!.href);
  return {
    profileId: target.profileId,
    protocol: 'activitypub',
    kind: target.kind,
    remoteId: object.id!.href,
    author,
    targetPostId: target.postId,
    parentRemoteId: object.replyTargetId?.href ?? null,
    replyRefs: replyRefsFromObject(object.id!, actor),
    audience: audienceFrom(object, actor),
    html: object.content?.toString() ?? null,
    url,
    createdAt: object.published ? new Date(object.published.epochMilliseconds) : null,
  };
}

/** The public collection as servers write it: the full IRI, or compacted against the AS2 context. */
const PUBLIC_NAMES = new Set([PUBLIC_COLLECTION.href, 'as:Public', 'Public']);

/**
 * Who a remote object was addressed to, read from its to/cc as Mastodon and Misskey write them:
 * Public in `to` is public, in `cc` unlisted; the author's followers without Public is
 * followers-only; only named actors is direct.
 */
export function audienceFrom(object: Pick<APObject, 'toIds' | 'ccIds'>, actor: Pick<Actor, 'followersId'>): Audience {
  const isPublic = (ids: URL[]) => ids.some((id) => PUBLIC_NAMES.has(id.href));
  if (isPublic(object.toIds)) return 'public';
  if (isPublic(object.ccIds)) return 'unlisted';
  const followers = actor.followersId?.href;
  if (followers && [...object.toIds, ...object.ccIds].some((id) => id.href === followers)) return 'followers';
  return 'direct';
}

const CUSTOM_EMOJI = /^:[\p{L}\p{N}_+-]{1,100}(@[\p{L}\p{N}.:-]{1,200})?:$/u;
const MAX_EMOJI_LENGTH = 64;

/**
 * The emoji of a reaction (Misskey's Like with `content`/`_misskey_reaction`, Pleroma's EmojiReact):
 * a short unicode emoji, or a custom `:name:` with its image from the matching Emoji tag. A plain
 * like, or text that is no emoji, gives null.
 */
export function reactionFrom(
  content: string | null,
  customEmojis: ReadonlyArray<{ name: string; imageUrl: string | null }>,
): Reaction | null {
  const emoji = content?.trim();
  if (!emoji || emoji.length > MAX_EMOJI_LENGTH || /[<>&"\s]/.test(emoji)) return null;
  if (!CUSTOM_EMOJI.test(emoji)) return /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(emoji) ? { emoji, imageUrl: null } : null;
  const bare = (name: string) => name.replace(/^:|:$/g, '').replace(/@.*$/, '');
  const custom = customEmojis.find((candidate) => bare(candidate.name) === bare(emoji));
  return { emoji, imageUrl: custom?.imageUrl ?? null };
}
