import type { FollowerInput } from '../../../audience/followers.repository.js';
import type { InteractionReceived } from '../../../inbox/interaction-received.js';
import type { InteractionKind } from '../../../inbox/interaction.entity.js';
import type { StrongRef } from '../records/to-feed-post.js';

/** The fields of app.bsky.notification.listNotifications#notification Herald reads. */
export interface BskyNotification {
  uri: string;
  cid: string;
  author: { did: string; handle: string; displayName?: string; avatar?: string };
  reason: string;
  reasonSubject?: string;
  record: unknown;
  indexedAt: string;
}

const KINDS: Record<string, InteractionKind> = {
  like: 'like',
  repost: 'repost',
  reply: 'reply',
  mention: 'mention',
  quote: 'quote',
  follow: 'follow',
};

/** Which of the profile's records a notification is about: the liked/reposted subject, the replied-to parent, the quoted post. */
export function subjectUriOf(notification: BskyNotification): string | null {
  const record = asObject(notification.record);
  switch (notification.reason) {
    case 'like':
    case 'repost':
      return notification.reasonSubject ?? null;
    case 'reply':
      return strongRef(asObject(record.reply).parent)?.uri ?? notification.reasonSubject ?? null;
    case 'quote': {
      const embed = asObject(record.embed);
      return strongRef(embed.record)?.uri ?? strongRef(asObject(embed.record).record)?.uri ?? notification.reasonSubject ?? null;
    }
    default:
      return null;
  }
}

/**
 * A notification as an inbox interaction, or null when Herald does not
 * track its kind or it fails validation (the AppView is outside input).
 * `remoteId` is the AT URI of the liker's/replier's record: seen again, it is stored once.
 */
export function persistNotification(
  notification: BskyNotification,
  profileId: string,
  targetPostId: string | null,
): InteractionReceived | null {
  const kind = KINDS[notification.reason];
  if (!kind || !notification.uri.startsWith('at://') || !notification.author?.did?.startsWith('did:')) return null;
  const record = asObject(notification.record);
  const text = typeof record.text === 'string' && (kind === 'reply' || kind === 'mention' || kind === 'quote') ? record.text : null;
  const self: StrongRef = { uri: notification.uri, cid: notification.cid };
  const reply = asObject(record.reply);
  const root = strongRef(reply.root) ?? self;
  const createdAt = typeof record.createdAt === 'string' && !Number.isNaN(Date.parse(record.createdAt)) ? new Date(record.createdAt) : null;
  return {
    profileId,
    protocol: 'atproto',
    kind,
    remoteId: notification.uri,
    author: {
      id: notification.author.did,
      handle: notification.author.handle,
      name: notification.author.displayName ?? null,
      avatarUrl: notification.author.avatar ?? null,
      url: `https://bsky.app/profile/${notification.author.did}`,
      // A handle is a domain name: domain blocks apply to it and the names under it.
      domain: handleDomain(notification.author.handle),
    },
    targetPostId,
    parentRemoteId: strongRef(reply.parent)?.uri ?? subjectUriOf(notification),
    // What an answer needs: its root stays the thread's root, its parent is this record.
    replyRefs: text !== null ? { root, parent: self } : {},
    text,
    url: postUrl(notification),
    createdAt,
  };
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

/** A handle is a domain name; `handle.invalid` (a handle that failed verification) is none. */
function handleDomain(handle: string | undefined): string | null {
  const domain = handle?.toLowerCase();
  return domain && domain !== 'handle.invalid' && /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*$/.test(domain) ? domain : null;
}

function postUrl(notification: BskyNotification): string | null {
  const match = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(notification.uri);
  return match ? `https://bsky.app/profile/${match[1]}/post/${match[2]}` : null;
}

function strongRef(value: unknown): StrongRef | null {
  const ref = asObject(value);
  return typeof ref.uri === 'string' && typeof ref.cid === 'string' ? { uri: ref.uri, cid: ref.cid } : null;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
