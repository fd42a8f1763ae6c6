import type { AppBskyFeedPost, BlobRef } from '@atproto/api';
import { toFacets } from './to-facets.js';

/** An image already uploaded as a blob (the blob ref as the PDS returned it). */
export interface FeedImage {
  blob: BlobRef;
  alt: string;
  width: number;
  height: number;
}

/** A link card to one of Herald's pages (articles, long posts in link mode). */
export interface LinkCard {
  uri: string;
  title: string;
  description: string;
}

export interface FeedPostInput {
  text: string;
  createdAt: Date;
  language?: string | null;
  contentWarning?: string | null;
  images?: FeedImage[];
  card?: LinkCard | null;
  reply?: AppBskyFeedPost.ReplyRef | null;
  /** Handles already resolved to DIDs; a mention of an unresolved handle stays plain text. */
  mentionDids?: ReadonlyMap<string, string>;
}

/** The app.bsky.feed.post record for one part of a canonical post. Pure. */
export function toFeedPost(input: FeedPostInput): AppBskyFeedPost.Record {
  const facets = toFacets(input.text, input.mentionDids ?? new Map());
  const record: AppBskyFeedPost.Record = {
    $type: 'app.bsky.feed.post',
    text: input.text,
    createdAt: input.createdAt.toISOString(),
  };
  if (facets.length > 0) record.facets = facets;
  if (input.language) record.langs = [input.language];
  if (input.reply) record.reply = input.reply;
  // A content warning has no free-text field on Bluesky; the nearest native form is a self-label.
  if (input.contentWarning) record.labels = { $type: 'com.atproto.label.defs#selfLabels', values: [{ val: 'graphic-media' }] };
  if (input.images && input.images.length > 0) {
    record.embed = {
      $type: 'app.bsky.embed.images',
      images: input.images
        .slice(0, 4)
        .map((image) => ({ image: image.blob, alt: image.alt, aspectRatio: { width: image.width, height: image.height } })),
    };
  } else if (input.card) {
    record.embed = {
      $type: 'app.bsky.embed.external',
      external: { uri: input.card.uri, title: input.card.title, description: input.card.description },
    };
  }
  return record;
}
