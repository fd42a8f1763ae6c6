const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Bluesky limits post text by graphemes, not code units. */
export const POST_GRAPHEME_LIMIT = 300;

export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** The first `limit` graphemes of `text`. */
export function graphemePrefix(text: string, limit: number): string {
  let end = 0;
  let count = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    if (count === limit) break;
    end = index + segment.length;
    count++;
  }
  return text.slice(0, end);
}
