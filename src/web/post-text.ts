import escapeHtml from 'escape-html';
import { SafeHtml } from '../common/html.js';

/** URLs, fediverse mentions (@user@host) and hashtags, in the order they appear. */
const TOKEN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}])|(@[A-Za-z0-9_.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)|(#[\p{L}\p{N}_]+)/gu;

export interface PostTextLinks {
  /** Where a hashtag links to (without the #). */
  hashtag(tag: string): string;
}

/**
 * Staff write posts as plain text. This escapes it, links URLs, mentions and
 * hashtags, and turns blank lines into paragraphs and single newlines into <br>.
 */
export function toPostHtml(text: string, links: PostTextLinks): SafeHtml {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  return new SafeHtml(
    paragraphs
      .map(
        (paragraph) =>
          `<p>${paragraph
            .split('\n')
            .map((line) => linkify(line, links))
            .join('<br>')}</p>`,
      )
      .join(''),
  );
}

function linkify(line: string, links: PostTextLinks): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    const [token, url, mention, hashtag] = match;
    const start = match.index;
    // A hashtag or mention glued to a word (e.g. "a#b") is not one.
    if ((hashtag || mention) && start > 0 && /[\p{L}\p{N}_]/u.test(line[start - 1])) continue;
    out += escapeHtml(line.slice(last, start));
    if (url) out += `<a href="${escapeHtml(url)}" rel="nofollow noopener ugc">${escapeHtml(displayUrl(url))}</a>`;
    else if (mention) out += `<a href="${escapeHtml(mentionUrl(mention))}" rel="nofollow noopener">${escapeHtml(mention)}</a>`;
    else out += `<a href="${escapeHtml(links.hashtag(hashtag.slice(1)))}" rel="tag">${escapeHtml(hashtag)}</a>`;
    last = start + token.length;
  }
  return out + escapeHtml(line.slice(last));
}

/** Long URLs are shown without the scheme and shortened; the link keeps the full address. */
function displayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\/(www\.)?/, '');
  return bare.length > 40 ? `${bare.slice(0, 39)}…` : bare;
}

/** @user@host → https://host/@user, the address every major fediverse server answers. */
function mentionUrl(mention: string): string {
  const [, user, host] = mention.split('@');
  return `https://${host}/@${user}`;
}

/** Plain text for feeds' summaries and meta descriptions: whitespace collapsed, cut at a word boundary. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
