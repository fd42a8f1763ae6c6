import type { Protocol } from '../common/protocol.js';

/** What a post's reach is measured in, on every network. */
export const FIGURES = ['likes', 'reposts', 'replies', 'quotes', 'reactions'] as const;
export type Figure = (typeof FIGURES)[number];
export type Figures = Record<Figure, number>;

/**
 * Which stored interaction kinds count towards each figure on the fediverse,
 * where Herald counts what it received itself (withdrawn ones excluded).
 * A new kind counts by adding it here, and nothing else.
 */
export const FEDIVERSE_COUNTED_KINDS: Record<Figure, readonly string[]> = {
  likes: ['like'],
  reposts: ['repost'],
  replies: ['reply'],
  quotes: ['quote'],
  // Emoji reactions are likes that carry an emoji (Misskey, Pleroma); see FEDIVERSE_LIKE_SPLIT.
  reactions: ['like'],
};

/** A like with an emoji counts as a reaction, a like without one as a like: the condition each adds. */
export const FEDIVERSE_LIKE_SPLIT: Partial<Record<Figure, string>> = { likes: 'reaction IS NULL', reactions: 'reaction IS NOT NULL' };

/** Bluesky's figures come from its AppView's counts (polled into metric_snapshot); it has no emoji reactions. */
export const BLUESKY_SNAPSHOT_COLUMNS: Record<Figure, string | null> = {
  likes: 'likes',
  reposts: 'reposts',
  replies: 'replies',
  quotes: 'quotes',
  reactions: null,
};

export type NetworkFigures = Partial<Record<Protocol, Figures>>;

export const noFigures = (): Figures => ({ likes: 0, reposts: 0, replies: 0, quotes: 0, reactions: 0 });

export function totalOf(figures: Figures): number {
  return FIGURES.reduce((sum, figure) => sum + figures[figure], 0);
}

/** Figures added up over networks (or posts). */
export function sumFigures(all: Iterable<Figures>): Figures {
  const sum = noFigures();
  for (const figures of all) for (const figure of FIGURES) sum[figure] += figures[figure];
  return sum;
}
