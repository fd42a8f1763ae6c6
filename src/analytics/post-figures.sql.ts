import { BLUESKY_SNAPSHOT_COLUMNS, FEDIVERSE_COUNTED_KINDS, FEDIVERSE_LIKE_SPLIT, FIGURES } from './post-figures.js';

/** Only what anyone may see counts: a direct or followers-only interaction shows nowhere, not even as a number. */
export const COUNTED_AUDIENCE = `audience IN ('public', 'unlisted')`;

const literal = (value: string): string => {
  // Only code constants reach here; refuse anything that would need quoting.
  if (!/^[a-z_]+$/.test(value)) throw new Error(`not a plain SQL name: ${value}`);
  return `'${value}'`;
};

/**
 * The one query for "latest figures of these posts": a row per post and network
 * (post_id, network, likes, reposts, replies, quotes, reactions) for the posts
 * that `postIds` (a SQL subquery or array expression) selects. Fediverse rows
 * count stored interactions; Bluesky rows are the newest metric snapshot.
 */
export function latestFiguresSql(postIds: string): string {
  const fediverse = FIGURES.map((figure) => {
    const kinds = FEDIVERSE_COUNTED_KINDS[figure];
    if (kinds.length === 0) return `0 AS ${figure}`;
    const split = FEDIVERSE_LIKE_SPLIT[figure] ? ` AND ${FEDIVERSE_LIKE_SPLIT[figure]}` : '';
    return `(count(*) FILTER (WHERE kind IN (${kinds.map(literal).join(', ')})${split}))::int AS ${figure}`;
  }).join(', ');
  const bluesky = FIGURES.map((figure) => {
    const column = BLUESKY_SNAPSHOT_COLUMNS[figure];
    return column ? `latest.${column} AS ${figure}` : `0 AS ${figure}`;
  }).join(', ');
  return `SELECT target_post_id AS post_id, 'activitypub'::text AS network, ${fediverse}
    FROM interaction
    WHERE protocol = 'activitypub' AND withdrawn_at IS NULL AND ${COUNTED_AUDIENCE} AND target_post_id IN (${postIds})
    GROUP BY target_post_id
  UNION ALL
  SELECT latest.post_id, 'atproto'::text AS network, ${bluesky}
    FROM (
      SELECT DISTINCT ON (post_id) post_id, likes, reposts, replies, quotes FROM metric_snapshot
      WHERE protocol = 'atproto' AND post_id IN (${postIds}) ORDER BY post_id, taken_at DESC
    ) latest`;
}

/** Kinds that count on the fediverse, for the interactions export. */
export const COUNTED_KIND_LIST = `(${[...new Set(Object.values(FEDIVERSE_COUNTED_KINDS).flat())].map(literal).join(', ')})`;

/** Kind name to figure name (e.g. like → likes), for the interactions export. */
export function figureOfKindSql(column: string, table: string): string {
  const cases = FIGURES.flatMap((figure) =>
    FEDIVERSE_COUNTED_KINDS[figure].map((kind) => {
      const split = FEDIVERSE_LIKE_SPLIT[figure] ? ` AND ${table}.${FEDIVERSE_LIKE_SPLIT[figure]}` : '';
      return `WHEN ${column} = ${literal(kind)}${split} THEN '${figure}'`;
    }),
  );
  return `CASE ${cases.join(' ')} END`;
}
