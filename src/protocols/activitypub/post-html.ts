import { escapeHtml } from '../../common/html.js';
import { mentionProfileUrl, type Mention } from '../../posts/post-text.js';
import { postTextHtml, type MarkedToken } from '../../posts/post-text-html.js';

/** A mention the adapter could resolve to an actor: `acct` is `user@domain`. */
export interface ResolvedMention {
  acct: string;
  href: string;
}

export interface RenderedPost {
  html: string;
  /** Hashtags without `#`, in order of first use. */
  hashtags: string[];
  /** Mentions that appear in the text and were resolved. */
  mentions: ResolvedMention[];
}

/**
 * Plain post text → the HTML Mastodon expects: paragraphs, `<br>`, links,
 * hashtag links (`class="mention hashtag" rel="tag"`) and h-card mentions.
 * An unresolved fediverse mention stays plain text; a Bluesky handle links to its profile.
 */
export function renderPostHtml(text: string, tagUrl: (tag: string) => string, resolved: ResolvedMention[]): RenderedPost {
  const byAcct = new Map(resolved.map((mention) => [mention.acct.toLowerCase(), mention]));
  const hashtags: string[] = [];
  const mentions: ResolvedMention[] = [];
  const tokenHtml = (token: MarkedToken): string => {
    switch (token.kind) {
      case 'link':
        return externalLink(token.url, token.text);
      case 'hashtag':
        if (!hashtags.some((known) => known.toLowerCase() === token.tag.toLowerCase())) hashtags.push(token.tag);
        return `<a href="${escapeHtml(tagUrl(token.tag))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(token.tag)}</span></a>`;
      case 'mention': {
        if (token.mention.network === 'bluesky') return externalLink(mentionProfileUrl(token.mention), token.text);
        const mention = byAcct.get(acctOf(token.mention));
        if (!mention) return escapeHtml(token.text);
        if (!mentions.includes(mention)) mentions.push(mention);
        const user = `@<span>${escapeHtml(token.mention.user)}</span>`;
        return `<span class="h-card"><a href="${escapeHtml(mention.href)}" class="u-url mention">${user}</a></span>`;
      }
    }
  };
  return { html: postTextHtml(text, tokenHtml), hashtags, mentions };
}

function externalLink(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}" rel="nofollow noopener noreferrer" target="_blank">${escapeHtml(text)}</a>`;
}

const acctOf = (mention: Extract<Mention, { network: 'fediverse' }>) => `${mention.user}@${mention.host}`.toLowerCase();
