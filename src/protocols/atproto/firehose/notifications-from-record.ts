import {
  type AppBskyActorDefs,
  AppBskyEmbedRecord,
  AppBskyEmbedRecordWithMedia,
  AppBskyFeedLike,
  AppBskyFeedPost,
  AppBskyFeedRepost,
  AppBskyGraphFollow,
  AppBskyRichtextFacet,
  asPredicate,
  AtUri,
} from '@atproto/api';
import type { Notification } from '../notifications/interaction-from-notification.js';

/** A record created in some repository, as the firehose carries it. */
export interface CreatedRecord {
  uri: string;
  cid: string;
  /** The DID of the repository that holds it: its author. */
  repo: string;
  collection: string;
  record: unknown;
}

/** Which Herald account a record concerns, and why: the AppView's notification reason for it. */
export interface Concern {
  did: string;
  reason: 'mention' | 'quote' | 'reply' | 'like' | 'repost' | 'follow';
  reasonSubject?: string;
}

/** The collections whose records can concern an account; deleting one of them is an undo. */
export const WATCHED_COLLECTIONS = ['app.bsky.feed.post', 'app.bsky.feed.like', 'app.bsky.feed.repost', 'app.bsky.graph.follow'];

const isPostRecord = asPredicate(AppBskyFeedPost.validateRecord);
const isLikeRecord = asPredicate(AppBskyFeedLike.validateRecord);
const isRepostRecord = asPredicate(AppBskyFeedRepost.validateRecord);
const isFollowRecord = asPredicate(AppBskyGraphFollow.validateRecord);

/**
 * The accounts (by `isOurs`) a new record concerns, one reason each, as the AppView would notify them: for a post,
 * a mention first, then a quote, then a reply (to the parent, or in a thread the account started); never its own
 * author. Records that fail their lexicon concern no one.
 */
export function concernsOf(created: CreatedRecord, isOurs: (did: string) => boolean): Concern[] {
  const concerns = new Map<string, Concern>();
  const add = (did: string | null, concern: Omit<Concern, 'did'>) => {
    if (did && did !== created.repo && isOurs(did) && !concerns.has(did)) concerns.set(did, { did, ...concern });
  };
  const { record } = created;
  switch (created.collection) {
    case 'app.bsky.feed.post': {
      if (!isPostRecord(record)) break;
      for (const feature of (record.facets ?? []).flatMap((facet) => facet.features)) {
        if (AppBskyRichtextFacet.isMention(feature)) add(feature.did, { reason: 'mention' });
      }
      const quoted = quotedUri(record);
      if (quoted) add(postAuthor(quoted), { reason: 'quote', reasonSubject: quoted });
      for (const ancestor of [record.reply?.parent.uri, record.reply?.root.uri]) {
        if (ancestor) add(postAuthor(ancestor), { reason: 'reply', reasonSubject: ancestor });
      }
      break;
    }
    case 'app.bsky.feed.like':
      if (isLikeRecord(record)) add(postAuthor(record.subject.uri), { reason: 'like', reasonSubject: record.subject.uri });
      break;
    case 'app.bsky.feed.repost':
      if (isRepostRecord(record)) add(postAuthor(record.subject.uri), { reason: 'repost', reasonSubject: record.subject.uri });
      break;
    case 'app.bsky.graph.follow':
      if (isFollowRecord(record)) add(record.subject, { reason: 'follow' });
      break;
  }
  return [...concerns.values()];
}

/** The notification the AppView would list for this record and concern, so both paths store the same interaction. */
export function notificationFrom(created: CreatedRecord, concern: Concern, author: AppBskyActorDefs.ProfileView): Notification {
  return {
    uri: created.uri,
    cid: created.cid,
    author,
    reason: concern.reason,
    reasonSubject: concern.reasonSubject,
    record: created.record as Notification['record'],
    isRead: false,
    indexedAt: new Date().toISOString(),
  };
}

function quotedUri(post: AppBskyFeedPost.Record): string | null {
  const { embed } = post;
  if (AppBskyEmbedRecord.isMain(embed)) return embed.record.uri;
  if (AppBskyEmbedRecordWithMedia.isMain(embed)) return embed.record.record.uri;
  return null;
}

/** The DID of a post's author, from its AT URI; null for anything but a post in a DID-named repository. */
function postAuthor(uri: string): string | null {
  try {
    const parsed = new AtUri(uri);
    return parsed.collection === 'app.bsky.feed.post' && parsed.host.startsWith('did:') ? parsed.host : null;
  } catch {
    return null;
  }
}
