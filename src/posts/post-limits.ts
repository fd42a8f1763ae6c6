/**
 * How long a post may be: one hard limit per kind, checked when a post is saved or
 * previewed, documented in README and the OpenAPI descriptions.
 *
 * A note goes out whole on the fediverse and, on Bluesky, as a thread of
 * 300-grapheme posts (or one post with a link card): 5,000 characters is about
 * 18 Bluesky posts, the most a reader follows. Longer text is an article: one
 * fediverse Article and one Bluesky post with a card to its page.
 */
export const NOTE_TEXT_LIMIT = 5_000;
export const ARTICLE_TEXT_LIMIT = 100_000;

export const textLimitFor = (kind: 'note' | 'article'): number => (kind === 'article' ? ARTICLE_TEXT_LIMIT : NOTE_TEXT_LIMIT);

/** The message staff read when a text is too long, or null when it fits. */
export function textLengthProblem(kind: 'note' | 'article', text: string): string | null {
  const limit = textLimitFor(kind);
  const length = [...text].length;
  if (length <= limit) return null;
  const count = (n: number) => n.toLocaleString('en');
  return kind === 'note'
    ? `text: a note has at most ${count(limit)} characters and this one has ${count(length)}; shorten it, or make it an article`
    : `text: an article has at most ${count(limit)} characters and this one has ${count(length)}`;
}
