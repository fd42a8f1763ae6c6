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

const TOKEN =
  /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'])|(^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)|(^|[^\p{L}\p{N}_/])@([A-Za-z0-9_.-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/gu;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Plain post text → the HTML Mastodon expects: paragraphs, `<br>`, links,
 * hashtag links (`class="mention hashtag" rel="tag"`) and h-card mentions.
 * Unresolved mentions stay plain text.
 */
export function renderPostHtml(text: string, tagUrl: (tag: string) => string, resolved: ResolvedMention[]): RenderedPost {
  const byAcct = new Map(resolved.map((mention) => [mention.acct.toLowerCase(), mention]));
  const hashtags: string[] = [];
  const mentions: ResolvedMention[] = [];
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => renderLine(line, tagUrl, byAcct, hashtags, mentions))
        .join('<br>'),
    );
  return { html: paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join(''), hashtags, mentions };
}

function renderLine(
  line: string,
  tagUrl: (tag: string) => string,
  byAcct: Map<string, ResolvedMention>,
  hashtags: string[],
  mentions: ResolvedMention[],
): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    const [whole, link, tagLead, tag, mentionLead, acct] = match;
    html += escapeHtml(line.slice(last, match.index));
    last = match.index + whole.length;
    if (link) {
      html += `<a href="${escapeHtml(link)}" rel="nofollow noopener noreferrer" target="_blank">${escapeHtml(link)}</a>`;
    } else if (tag) {
      if (!hashtags.some((known) => known.toLowerCase() === tag.toLowerCase())) hashtags.push(tag);
      html += `${escapeHtml(tagLead)}<a href="${escapeHtml(tagUrl(tag))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
    } else {
      const mention = byAcct.get(acct.toLowerCase());
      if (!mention) {
        html += escapeHtml(whole);
        continue;
      }
      if (!mentions.includes(mention)) mentions.push(mention);
      const user = acct.split('@')[0];
      html += `${escapeHtml(mentionLead)}<span class="h-card"><a href="${escapeHtml(mention.href)}" class="u-url mention">@<span>${escapeHtml(user)}</span></a></span>`;
    }
  }
  return html + escapeHtml(line.slice(last));
}

/** `@user@domain` handles written in a post, lower-cased, for the adapter to resolve. */
export function mentionedAccts(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(TOKEN)) if (match[5]) found.add(match[5].toLowerCase());
  return [...found];
}
