import { Temporal } from '@js-temporal/polyfill';
import { Article, Document, Hashtag, Mention, Note, PUBLIC_COLLECTION } from '@fedify/vocab';
import { LanguageString } from '@fedify/vocab-runtime';
import type { Post } from '../../posts/post.entity.js';
import { renderPostHtml, type ResolvedMention } from './post-html.js';

export interface AttachmentMedia {
  url: string;
  mimeType: string;
  altText: string;
  width: number;
  height: number;
}

/** Everything a post's AP object depends on, already resolved: the mapping itself is pure. */
export interface PostObjectInput {
  post: Pick<Post, 'kind' | 'text' | 'title' | 'summary' | 'language' | 'contentWarning' | 'publishedAt' | 'createdAt' | 'updatedAt'>;
  id: URL;
  actorId: URL;
  followersId: URL;
  tagUrl: (tag: string) => string;
  media: AttachmentMedia[];
  /** Resolved mentions: linked where the text names them, and always tagged and addressed (a reply's author). */
  mentions: ResolvedMention[];
  /** The object this post answers (a remote note or our own thread parent). */
  inReplyTo?: URL | null;
  /** Set on edits: Mastodon shows "edited" and replaces the content. */
  updated?: Date | null;
}

function common(input: PostObjectInput) {
  const rendered = renderPostHtml(input.post.text, input.tagUrl, input.mentions);
  const html = rendered.html;
  const published = input.post.publishedAt ?? input.post.createdAt;
  return {
    id: input.id,
    attribution: input.actorId,
    to: PUBLIC_COLLECTION,
    ccs: [input.followersId, ...input.mentions.map((mention) => new URL(mention.href))],
    contents: input.post.language ? [html, new LanguageString(html, input.post.language)] : [html],
    summary: input.post.contentWarning || null,
    sensitive: Boolean(input.post.contentWarning),
    published: Temporal.Instant.fromEpochMilliseconds(published.getTime()),
    updated: input.updated ? Temporal.Instant.fromEpochMilliseconds(input.updated.getTime()) : null,
    url: input.id,
    replyTarget: input.inReplyTo ?? null,
    attachments: input.media.map(
      (media) =>
        new Document({
          url: new URL(media.url),
          mediaType: media.mimeType,
          name: media.altText || null,
          width: media.width,
          height: media.height,
        }),
    ),
    tags: [
      ...rendered.hashtags.map((tag) => new Hashtag({ href: new URL(input.tagUrl(tag)), name: `#${tag}` })),
      ...input.mentions.map((mention) => new Mention({ href: new URL(mention.href), name: `@${mention.acct}` })),
    ],
  };
}

/** A canonical note as an AS2 Note. */
export function toNote(input: PostObjectInput): Note {
  return new Note(common(input));
}

/** A canonical article as an AS2 Article: title as name, summary (or the content warning) as summary. */
export function toArticle(input: PostObjectInput): Article {
  const values = common(input);
  return new Article({ ...values, name: input.post.title ?? null, summary: input.post.contentWarning || input.post.summary || null });
}

export function toPostObject(input: PostObjectInput): Note | Article {
  return input.post.kind === 'article' ? toArticle(input) : toNote(input);
}
