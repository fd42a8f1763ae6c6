import { LinkifyIt } from 'linkify-it';
import TLDS from 'tlds' with { type: 'json' };

/**
 * The one reading of a post's plain text that every surface renders: the public
 * page, the feeds, ActivityPub HTML and Bluesky facets all consume these tokens,
 * so a link, mention or hashtag is one on every network or on none.
 *
 * Every token keeps the exact source text it covers, so joining the tokens' text
 * gives back the post text (Bluesky facets count bytes into that text).
 */
export type PostTextToken =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'mention'; text: string; mention: Mention }
  | { kind: 'hashtag'; text: string; tag: string }
  | { kind: 'lineBreak'; text: string }
  | { kind: 'paragraphBreak'; text: string };

/** `@user@host` on the fediverse, or `@handle.domain` on Bluesky; as written (compare lower-cased). */
export type Mention = { network: 'fediverse'; user: string; host: string } | { network: 'bluesky'; handle: string };

/** Tokens that sit inside a paragraph. */
export type InlineToken = Exclude<PostTextToken, { kind: 'paragraphBreak' }>;

// Only links written with their scheme, as Mastodon links them: "europa.eu" in prose stays text.
const links = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false }).add('ftp:', null).add('//', null).add('mailto:', null);

/**
 * Mentions and hashtags start the text or follow whitespace or "(" (Mastodon and
 * Bluesky both require a boundary, so "C#" and "me@home.org" are not one).
 * A hashtag is letters, digits and "_" (with "·", "・" or ZWNJ inside) holding at
 * least one letter: Mastodon's rule, so "#2024" is text everywhere, as on Bluesky.
 */
const WORD = String.raw`\p{L}\p{M}\p{Nd}\p{Pc}`;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const DOMAIN = `(?:${LABEL}\\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?`;
const MENTION_OR_HASHTAG = new RegExp(
  String.raw`(?<=^|[\s(])(?:@(?<user>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)@(?<host>${DOMAIN})(?![A-Za-z0-9_@-])` +
    String.raw`|@(?<handle>${DOMAIN})(?![A-Za-z0-9_@-])` +
    String.raw`|[#＃](?<tag>[${WORD}](?:[${WORD}·・\u200c]*[${WORD}])?))`,
  'gu',
);
const LETTER = /[\p{L}\p{M}]/u;
/** Bluesky's tag facets hold at most 64 graphemes; a longer tag would fail the record, so it is text everywhere. */
const MAX_TAG_GRAPHEMES = 64;
const graphemes = new Intl.Segmenter();
/** Bluesky's own detection takes `@a.b` as a handle only for a real top-level domain (and `.test`, its development TLD). */
const HANDLE_TLDS = new Set([...TLDS, 'test']);
const LINE_BREAKS = /[^\S\r\n]*(?:\r\n?|\n)(?:[^\S\r\n]*(?:\r\n?|\n))*[^\S\r\n]*/g;
const NEWLINE = /\r\n?|\n/g;

export function tokenizePostText(text: string): PostTextToken[] {
  const tokens: PostTextToken[] = [];
  let last = 0;
  const emitText = (end: number) => {
    if (end <= last) return;
    const segment = text.slice(last, end);
    let lineStart = 0;
    for (const run of segment.matchAll(LINE_BREAKS)) {
      if (run.index > lineStart) tokens.push({ kind: 'text', text: segment.slice(lineStart, run.index) });
      const breaks = run[0].match(NEWLINE)!.length;
      tokens.push({ kind: breaks > 1 ? 'paragraphBreak' : 'lineBreak', text: run[0] });
      lineStart = run.index + run[0].length;
    }
    if (lineStart < segment.length) tokens.push({ kind: 'text', text: segment.slice(lineStart) });
    last = end;
  };
  for (const found of findLinksMentionsAndHashtags(text)) {
    emitText(found.start);
    tokens.push(found.token);
    last = found.start + found.token.text.length;
  }
  emitText(text.length);
  return tokens;
}

interface Found {
  start: number;
  token: Extract<PostTextToken, { kind: 'link' | 'mention' | 'hashtag' }>;
}

function findLinksMentionsAndHashtags(text: string): Found[] {
  const linked: Found[] = (links.match(text) ?? []).map((link) => ({
    start: link.index,
    token: { kind: 'link', text: link.raw, url: link.url },
  }));
  const overlapsLink = (from: number, to: number) => linked.some(({ start, token }) => from < start + token.text.length && to > start);
  const found = [...linked];
  for (const match of text.matchAll(MENTION_OR_HASHTAG)) {
    if (overlapsLink(match.index, match.index + match[0].length)) continue;
    const token = mentionOrHashtag(match[0], match.groups!);
    if (token) found.push({ start: match.index, token });
  }
  return found.sort((a, b) => a.start - b.start);
}

function mentionOrHashtag(text: string, groups: Record<string, string | undefined>): Found['token'] | null {
  const { user, host, handle, tag } = groups;
  if (user && host) return { kind: 'mention', text, mention: { network: 'fediverse', user, host } };
  if (handle) {
    const tld = handle.slice(handle.lastIndexOf('.') + 1).toLowerCase();
    return HANDLE_TLDS.has(tld) ? { kind: 'mention', text, mention: { network: 'bluesky', handle } } : null;
  }
  if (tag && LETTER.test(tag) && [...graphemes.segment(tag)].length <= MAX_TAG_GRAPHEMES) return { kind: 'hashtag', text, tag };
  return null;
}

/**
 * Paragraphs for the HTML surfaces: split at blank lines, with whitespace at a
 * paragraph's edges dropped and empty paragraphs left out.
 */
export function paragraphsOf(tokens: PostTextToken[]): InlineToken[][] {
  const paragraphs: InlineToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'paragraphBreak') paragraphs.push([]);
    else paragraphs.at(-1)!.push(token);
  }
  return paragraphs.map(trimEdges).filter((paragraph) => paragraph.length > 0);
}

function trimEdges(paragraph: InlineToken[]): InlineToken[] {
  const trimmed = [...paragraph];
  const first = trimmed[0];
  if (first?.kind === 'text') trimmed[0] = { kind: 'text', text: first.text.trimStart() };
  const lastIndex = trimmed.length - 1;
  const last = trimmed[lastIndex];
  if (last?.kind === 'text') trimmed[lastIndex] = { kind: 'text', text: last.text.trimEnd() };
  while (trimmed[0] && isBlank(trimmed[0])) trimmed.shift();
  while (trimmed.length > 0 && isBlank(trimmed.at(-1)!)) trimmed.pop();
  return trimmed;
}

const isBlank = (token: InlineToken) => (token.kind === 'text' && token.text === '') || token.kind === 'lineBreak';

/** The profile page a mention points to where it cannot be a native mention (other network, or no resolution at hand). */
export function mentionProfileUrl(mention: Mention): string {
  return mention.network === 'fediverse'
    ? `https://${mention.host}/@${mention.user}`
    : `https://bsky.app/profile/${mention.handle.toLowerCase()}`;
}

/** `user@host` of every fediverse mention, lower-cased and once each, for the ActivityPub adapter to resolve. */
export function mentionedAccts(text: string): string[] {
  return unique(
    mentionsIn(text).flatMap((mention) => (mention.network === 'fediverse' ? [`${mention.user}@${mention.host}`.toLowerCase()] : [])),
  );
}

/** Bluesky handles mentioned (without the @), lower-cased and once each, for the AT Protocol adapter to resolve. */
export function mentionedHandles(text: string): string[] {
  return unique(mentionsIn(text).flatMap((mention) => (mention.network === 'bluesky' ? [mention.handle.toLowerCase()] : [])));
}

function mentionsIn(text: string): Mention[] {
  return tokenizePostText(text).flatMap((token) => (token.kind === 'mention' ? [token.mention] : []));
}

const unique = (values: string[]) => [...new Set(values)];

/** Plain text for feeds' summaries and meta descriptions: whitespace collapsed, cut at a word boundary. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
