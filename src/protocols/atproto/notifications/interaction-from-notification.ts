import {
  type AppBskyActorDefs,
  AppBskyEmbedRecord,
  AppBskyEmbedRecordWithMedia,
  AppBskyFeedLike,
  AppBskyFeedPost,
  AppBskyFeedRepost,
  AppBskyGraphFollow,
  type AppBskyNotificationListNotifications,
  asPredicate,
} from '@atproto/api';
import type { FollowerInput } from '../../../audience/followers.repository.js';
import type { InteractionReceived } from '../../../inbox/interaction-received.js';
import type { InteractionKind } from '../../../inbox/interaction.entity.js';
import type { AtprotoReplyRefs, StrongRef } from '../atproto-refs.js';

export type Notification = AppBskyNotificationListNotifications.Notification;

const KINDS: Record<string, InteractionKind> = {
  like: 'like',
  repost: 'repost',
  reply: 'reply',
  mention: 'mention',
  quote: 'quote',
  follow: 'follow',
};

const isPostRecord = asPredicate(AppBskyFeedPost.validateRecord);
const isLikeRecord = asPredicate(AppBskyFeedLike.validateRecord);
const isRepostRecord = asPredicate(AppBskyFeedRepost.validateRecord);
const isFollowRecord = asPredicate(AppBskyGraphFollow.validateRecord);

/** A notification's record checked against the lexicon of its reason (the AppView is outside input); null when it fails. */
function checkedRecord(notification: Notification): { createdAt: string; post?: AppBskyFeedPost.Record } | null {
  const { record } = notification;
  switch (notification.reason) {
    case 'reply':
    case 'mention':
    case 'quote':
      return isPostRecord(record) ? { createdAt: record.createdAt, post: record } : null;
    case 'like':
      return isLikeRecord(record) ? { createdAt: record.createdAt } : null;
    case 'repost':
      return isRepostRecord(record) ? { createdAt: record.createdAt } : null;
    case 'follow':
      return isFollowRecord(record) ? { createdAt: record.createdAt } : null;
    default:
      return null;
  }
}

/** Which of the profile's records a notification is about: the liked/reposted subject, the replied-to parent, the quoted post. */
export function subjectUriOf(notification: Notification): string | null {
  switch (notification.reason) {
    case 'like':
    case 'repost':
      return notification.reasonSubject ?? null;
    case 'reply':
      return checkedRecord(notification)?.post?.reply?.parent.uri ?? notification.reasonSubject ?? null;
    case 'quote':
      return quotedUri(checkedRecord(notification)?.post) ?? notification.reasonSubject ?? null;
    default:
      return null;
  }
}

function quotedUri(post: AppBskyFeedPost.Record | undefined): string | null {
  const embed = post?.embed;
  if (AppBskyEmbedRecord.isMain(embed)) return embed.record.uri;
  if (AppBskyEmbedRecordWithMedia.isMain(embed)) return embed.record.record.uri;
  return null;
}

/**
 * A notification as an inbox interaction, or null when Herald does not
 * track its kind or it fails validation (the AppView is outside input).
 * `remoteId` is the AT URI of the liker's/replier's record: seen again, it is stored once.
 */
export function interactionFromNotification(
  notification: Notification,
  profileId: string,
  targetPostId: string | null,
): InteractionReceived | null {
  const kind = KINDS[notification.reason];
  if (!kind || !isRecordUri(notification.uri) || !isDid(notification.author?.did)) return null;
  const record = checkedRecord(notification);
  if (!record) return null;
  const self: StrongRef = { uri: notification.uri, cid: notification.cid };
  return {
    profileId,
    protocol: 'atproto',
    kind,
    remoteId: notification.uri,
    author: authorOf(notification.author),
    targetPostId,
    parentRemoteId: record.post?.reply?.parent.uri ?? subjectUriOf(notification),
    // What an answer needs: its root stays the thread's root, its parent is this record.
    replyRefs: record.post ? ({ root: record.post.reply?.root ?? self, parent: self } satisfies AtprotoReplyRefs) : {},
    text: record.post?.text ?? null,
    url: postUrl(notification.uri),
    createdAt: new Date(record.createdAt),
  };
}

/** A follow the notifications missed, found in the follower list: the follower's profile and the URI of their follow record. */
export function followFromProfileView(
  view: AppBskyActorDefs.ProfileView,
  followUri: string,
  profileId: string,
): InteractionReceived | null {
  if (!isRecordUri(followUri) || !isDid(view.did)) return null;
  return { profileId, protocol: 'atproto', kind: 'follow', remoteId: followUri, author: authorOf(view), targetPostId: null };
}

/** The follower a Bluesky follow makes: its author, keyed by DID, with the follow record's URI. */
export function followerOf(follow: InteractionReceived): FollowerInput {
  return {
    profileId: follow.profileId,
    protocol: 'atproto',
    remoteActorId: follow.author.id,
    handle: follow.author.handle ?? null,
    displayName: follow.author.name ?? null,
    avatarUrl: follow.author.avatarUrl ?? null,
    profileUrl: follow.author.url ?? null,
    inboxUrl: null,
    sharedInboxUrl: null,
    domain: follow.author.domain ?? null,
    followId: follow.remoteId,
  };
}

function authorOf(profile: AppBskyActorDefs.ProfileView): InteractionReceived['author'] {
  return {
    id: profile.did,
    handle: profile.handle,
    name: profile.displayName ?? null,
    avatarUrl: profile.avatar ?? null,
    url: `https://bsky.app/profile/${profile.did}`,
    // A handle is a domain name: domain blocks apply to it and the names under it.
    domain: handleDomain(profile.handle),
  };
}

const isRecordUri = (uri: string): boolean => uri.startsWith('at://');
const isDid = (did: string | undefined): boolean => did?.startsWith('did:') ?? false;

/** A handle is a domain name; `handle.invalid` (a handle that failed verification) is none. */
function handleDomain(handle: string | undefined): string | null {
  const domain = handle?.toLowerCase();
  return domain && domain !== 'handle.invalid' && /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*$/.test(domain) ? domain : null;
}

function postUrl(uri: string): string | null {
  const match = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  return match ? `https://bsky.app/profile/${match[1]}/post/${match[2]}` : null;
}
