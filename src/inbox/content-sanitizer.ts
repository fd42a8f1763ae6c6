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
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer ugc', target: '_blank' }),
  },
};

export function sanitizeRemoteHtml(html: string): string {
  return sanitizeHtml(html, POLICY);
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

/** A remote link kept only when it is plain http(s): no javascript:, data: or relative tricks reach a staff browser. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
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
