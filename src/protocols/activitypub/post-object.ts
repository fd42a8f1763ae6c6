import { Temporal } from '@js-temporal/polyfill';
import { Article, Document, Hashtag, Mention, Note, PUBLIC_COLLECTION } from '@fedify/vocab';
import { LanguageString } from '@fedify/vocab-runtime';
import type { Audience } from '../../common/audience.js';
import { escapeHtml } from '../../common/html.js';
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
  post: Pick<
    Post,
    'kind' | 'text' | 'title' | 'summary' | 'language' | 'contentWarning' | 'publishedAt' | 'createdAt' | 'updatedAt' | 'audience'
  >;
  id: URL;
  actorId: URL;
  followersId: URL;
  tagUrl: (tag: string) => string;
  media: AttachmentMedia[];
  /** Resolved mentions: linked where the text names them, and always tagged and addressed (a reply's author). */
  mentions: ResolvedMention[];
  /** The object this post answers (a remote note or our own thread parent). */
  inReplyTo?: URL | null;
  /** The author of the interaction this post answers: the only addressee of a direct answer. */
  answeredAuthor?: URL | null;
  /** Set on edits: Mastodon shows "edited" and replaces the content. */
  updated?: Date | null;
}

/**
 * to/cc as Mastodon reads visibility: public (Public in to), unlisted (Public in cc), and for an
 * answer that keeps a private audience: only the people named (followers-only) or only the
 * answered author (direct); never Public or the followers collection.
 */
export function addressingOf(
  audience: Audience,
  input: Pick<PostObjectInput, 'followersId' | 'mentions' | 'answeredAuthor'>,
): { tos: URL[]; ccs: URL[] } {
  const mentioned = input.mentions.map((mention) => new URL(mention.href));
  switch (audience) {
    case 'public':
      return { tos: [PUBLIC_COLLECTION], ccs: [input.followersId, ...mentioned] };
    case 'unlisted':
      return { tos: [input.followersId], ccs: [PUBLIC_COLLECTION, ...mentioned] };
    case 'followers':
      return { tos: mentioned, ccs: [] };
    case 'direct':
      return { tos: input.answeredAuthor ? [input.answeredAuthor] : mentioned, ccs: [] };
  }
}

function common(input: PostObjectInput, lead = '') {
  const rendered = renderPostHtml(input.post.text, input.tagUrl, input.mentions);
  const html = lead + rendered.html;
  const published = input.post.publishedAt ?? input.post.createdAt;
  return {
    id: input.id,
    attribution: input.actorId,
    ...addressingOf(input.post.audience, input),
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

/**
 * A canonical article as an AS2 Article: title as name, the teaser as the content's lead paragraph.
 * `summary` stays a content warning only: Misskey and others collapse an Article behind its summary,
 * while Mastodon shows an Article as name + url (adding summary to that text) and never its content.
 */
export function toArticle(input: PostObjectInput): Article {
  const lead = input.post.summary ? `<p><strong>${escapeHtml(input.post.summary)}</strong></p>` : '';
  return new Article({ ...common(input, lead), name: input.post.title ?? null });
}

export function toPostObject(input: PostObjectInput): Note | Article {
  return input.post.kind === 'article' ? toArticle(input) : toNote(input);
}
