import { type AppBskyFeedPost, type BlobRef, RichText } from '@atproto/api';

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
  const richText = new RichText({ text: input.text });
  richText.detectFacetsWithoutResolution();
  const facets = (richText.facets ?? []).flatMap((facet) => {
    const features = facet.features.flatMap((feature) => {
      if (feature.$type !== 'app.bsky.richtext.facet#mention') return [feature];
      const did = input.mentionDids?.get(String((feature as { did?: string }).did).toLowerCase());
      return did ? [{ ...feature, did }] : [];
    });
    return features.length > 0 ? [{ ...facet, features }] : [];
  });
  const record: AppBskyFeedPost.Record = {
    $type: 'app.bsky.feed.post',
    text: richText.text,
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

/** Handles mentioned in text (without the @), for resolving before toFeedPost. */
export function mentionedHandles(text: string): string[] {
  const richText = new RichText({ text });
  richText.detectFacetsWithoutResolution();
  return (richText.facets ?? []).flatMap((facet) =>
    facet.features.flatMap((feature) =>
      feature.$type === 'app.bsky.richtext.facet#mention' ? [String((feature as { did?: string }).did).toLowerCase()] : [],
    ),
  );
}
