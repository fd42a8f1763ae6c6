import { graphemeCount, graphemePrefix, POST_GRAPHEME_LIMIT } from './graphemes.js';

/**
 * Splits text into thread parts of at most `limit` graphemes each, breaking
 * at paragraph, sentence or word boundaries where one lies in the part, so
 * no word, link or emoji is cut. Parts are trimmed; order is kept.
 */
export function splitThread(text: string, limit = POST_GRAPHEME_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (graphemeCount(rest) > limit) {
    const window = graphemePrefix(rest, limit);
    const cut = breakPoint(window);
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Where to end a part within `window`: the last paragraph, sentence or word end in its second half, else the window's end. */
function breakPoint(window: string): number {
  const minimum = Math.floor(window.length / 2);
  for (const boundary of [/\n\s*\n/g, /[.!?…](?=\s)/g, /\s/g]) {
    let last = -1;
    for (const match of window.matchAll(boundary)) {
      const end = match.index + (boundary.source.startsWith('[') ? 1 : 0);
      if (end >= minimum) last = end;
    }
    if (last > 0) return last;
  }
  return window.length;
}
