import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../common/html.js';

/**
 * Remote HTML reaches staff browsers only through here: a small allowlist of
 * text formatting and links, nothing that can run script or load resources.
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'a', 'span', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li'],
  allowedAttributes: { a: ['href', 'rel', 'target'], span: ['class'] },
  allowedClasses: { span: ['h-card', 'mention', 'hashtag', 'invisible', 'ellipsis'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Deeper nesting is no formatting anyone needs, and it bounds what closing a cut can add.
  nestingLimit: 32,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer ugc', target: '_blank' }),
  },
};

/**
 * What one remote interaction may hold, far above any fediverse server's post length (Mastodon
 * 500 characters, Misskey 3,000, Pleroma 5,000) yet small enough that a page of the inbox stays
 * light when a sender fills its whole 1 MiB body with one reply.
 */
export const REMOTE_HTML_MAX_CHARS = 20_000;
export const REMOTE_TEXT_MAX_CHARS = 10_000;

export function sanitizeRemoteHtml(html: string): string {
  return sanitizeHtml(html, POLICY);
}

/** Room kept for the end tags a cut leaves open: at most nestingLimit of them, `</blockquote>` the longest. */
const CLOSING_RESERVE = 32 * '</blockquote>'.length;

/** Remote HTML, sanitised and cut to REMOTE_HTML_MAX_CHARS (still well-formed, ending in an ellipsis). */
export function boundedRemoteHtml(html: string): string {
  const sanitized = sanitizeRemoteHtml(html);
  if (sanitized.length <= REMOTE_HTML_MAX_CHARS) return sanitized;
  // Drop a tag or entity the cut split; sanitising again closes the elements left open. The
  // reserve makes one pass enough; the loop is what guarantees the bound.
  let keep = REMOTE_HTML_MAX_CHARS - CLOSING_RESERVE;
  for (;;) {
    const cut = sanitized
      .slice(0, keep)
      .replace(/<[^>]*$/, '')
      .replace(/&[^;\s]*$/, '');
    const bounded = sanitizeHtml(`${cut}…`, POLICY);
    if (bounded.length <= REMOTE_HTML_MAX_CHARS) return bounded;
    keep -= bounded.length - REMOTE_HTML_MAX_CHARS;
  }
}

/** Remote plain text cut to REMOTE_TEXT_MAX_CHARS. */
export function boundedRemoteText(text: string): string {
  return text.length <= REMOTE_TEXT_MAX_CHARS ? text : `${text.slice(0, REMOTE_TEXT_MAX_CHARS - 1)}…`;
}

/** Plain text of remote HTML, for search and previews. */
export function textFromHtml(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p[^>]*>/gi, '\n\n');
  // sanitize-html returns escaped text; decoding it gives the characters back.
  return decodeHTML(sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} })).trim();
}

/** Plain remote text as safe HTML: escaped, line breaks kept. */
export function htmlFromText(text: string): string {
  const escaped = escapeHtml(text);
  return `<p>${escaped.replace(/\n{2,}/g, '</p><p>').replace(/\n/g, '<br>')}</p>`;
}

/** A remote link kept only when it is plain http(s) and of a sane length: no javascript:, data: or relative tricks reach a staff browser. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url || url.length > 2048) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** Remote names and handles are text: control characters out, length bounded. */
export function plainLabel(value: string | null | undefined, max = 300): string | null {
  if (!value) return null;
  // eslint-disable-next-line no-control-regex -- stripping control and bidi characters is the point
  const cleaned = value.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return cleaned ? cleaned.slice(0, max) : null;
}
