import { escapeHtml, SafeHtml } from '../common/html.js';
import { mentionProfileUrl } from '../posts/post-text.js';
import { postTextHtml, type MarkedToken } from '../posts/post-text-html.js';

export interface PostTextLinks {
  /** Where a hashtag links to (without the #). */
  hashtag(tag: string): string;
}

/**
 * Post text as the public page and the feeds show it: paragraphs and line
 * breaks, links, mentions (to the profile on their own network) and hashtags.
 */
export function toPostHtml(text: string, links: PostTextLinks): SafeHtml {
  return new SafeHtml(postTextHtml(text, (token) => tokenHtml(token, links)));
}

function tokenHtml(token: MarkedToken, links: PostTextLinks): string {
  switch (token.kind) {
    case 'link':
      return `<a href="${escapeHtml(token.url)}" rel="nofollow noopener ugc">${escapeHtml(displayUrl(token.text))}</a>`;
    case 'mention':
      return `<a href="${escapeHtml(mentionProfileUrl(token.mention))}" rel="nofollow noopener">${escapeHtml(token.text)}</a>`;
    case 'hashtag':
      return `<a href="${escapeHtml(links.hashtag(token.tag))}" rel="tag">${escapeHtml(token.text)}</a>`;
  }
}

/** Long URLs are shown without the scheme and shortened; the link keeps the full address. */
function displayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\/(www\.)?/, '');
  return bare.length > 40 ? `${bare.slice(0, 39)}…` : bare;
}
