import { graphemeCount, graphemePrefix, POST_GRAPHEME_LIMIT } from './graphemes.js';
import { splitThread } from './split-thread.js';
import type { LinkCard } from './to-feed-post.js';

export interface PostShape {
  kind: 'note' | 'article';
  text: string;
  title: string | null;
  summary: string | null;
}

export interface PostParts {
  /** Text of each record, in thread order (one for a single post). */
  texts: string[];
  /** Link card on the first record. */
  card: LinkCard | null;
}

/**
 * How a canonical post becomes Bluesky records: an article is one post with
 * a card to its page; a long note is a thread, or in link mode one post cut
 * short with a card to its full page. Pure.
 */
export function planPostParts(post: PostShape, longPostMode: 'thread' | 'link', pageUrl: string): PostParts {
  if (post.kind === 'article') {
    const title = post.title ?? graphemePrefix(post.text, 100);
    const description = post.summary ?? graphemePrefix(post.text, 280);
    return { texts: [shorten(post.summary ? `${title}\n\n${post.summary}` : title)], card: { uri: pageUrl, title, description } };
  }
  if (graphemeCount(post.text) <= POST_GRAPHEME_LIMIT) return { texts: [post.text], card: null };
  if (longPostMode === 'thread') return { texts: splitThread(post.text), card: null };
  return {
    texts: [shorten(post.text)],
    card: { uri: pageUrl, title: graphemePrefix(post.text.split('\n')[0] ?? '', 100), description: graphemePrefix(post.text, 280) },
  };
}

function shorten(text: string): string {
  if (graphemeCount(text) <= POST_GRAPHEME_LIMIT) return text;
  const [first] = splitThread(text, POST_GRAPHEME_LIMIT - 1);
  return `${first}…`;
}
