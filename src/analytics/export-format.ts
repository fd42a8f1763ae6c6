import { stringify } from 'csv-stringify';
import { Transform } from 'node:stream';
import type { ExportReport } from './reports.repository.js';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Each export's columns, in order, with what they hold: the OpenAPI description and the README quote these. */
export const EXPORT_COLUMNS: Record<ExportReport, Array<[column: string, meaning: string]>> = {
  posts: [
    ['post_id', 'the post (UUID)'],
    ['published_at', 'when it was published, ISO 8601 in UTC'],
    ['published_date', 'its local date (YYYY-MM-DD) in the requested time zone'],
    ['network', 'activitypub (the fediverse) or atproto (Bluesky); one row per network the post is published on'],
    ['likes', 'likes, latest figure'],
    ['reposts', 'boosts (Announce) on the fediverse, reposts on Bluesky'],
    ['replies', 'replies'],
    ['quotes', 'quote posts'],
    ['reactions', 'emoji reactions (the fediverse only; 0 on Bluesky)'],
    ['total', 'likes + reposts + replies + quotes + reactions'],
    ['label', 'the title of an article or the text of a note, first 200 characters'],
  ],
  interactions: [
    ['interaction_id', 'the interaction (UUID)'],
    ['received_at', 'when Herald received it, ISO 8601 in UTC'],
    ['received_date', 'its local date (YYYY-MM-DD) in the requested time zone'],
    ['network', 'activitypub (only the fediverse: Bluesky figures are counts read from its AppView)'],
    ['kind', 'the interaction kind as stored (like, repost, reply, quote, reaction)'],
    ['figure', 'the figure it counts towards in the posts export (likes, reposts, replies, quotes, reactions)'],
    ['post_id', 'the post it reacts to; only posts published in the period'],
    ['author_domain', 'the server of its author'],
  ],
  followers: [
    ['date', 'a local day (YYYY-MM-DD) of the period, in the requested time zone'],
    ['network', 'activitypub or atproto; one row per network and day'],
    ['followers', 'followers at the end of that day'],
    ['follows', 'new follows that day'],
    ['unfollows', 'follows ended that day (unfollows, blocks, moves)'],
  ],
};

/** Turns database rows (arrays in the columns' order) into the bytes of the export, one row at a time. */
export function exportEncoder(report: ExportReport, format: ExportFormat): Transform {
  const columns = EXPORT_COLUMNS[report].map(([column]) => column);
  if (format === 'csv') return stringify({ header: true, columns });
  return new Transform({
    writableObjectMode: true,
    transform(row: unknown[], _encoding, done) {
      done(null, `${JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null])))}\n`);
    },
  });
}

/** Bytes an export is written to the response in: 64 KiB, not a chunk (and an HTTP chunk header) per row. */
const EXPORT_CHUNK_BYTES = 64 * 1024;

/**
 * Gathers the encoder's rows into chunks of EXPORT_CHUNK_BYTES. A million rows written one by one are a million
 * response writes and HTTP chunks for both ends to frame and parse; this holds at most one chunk.
 */
export function exportChunks(): Transform {
  let pending: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      size += chunk.length;
      if (size < EXPORT_CHUNK_BYTES) return done();
      const full = Buffer.concat(pending, size);
      pending = [];
      size = 0;
      done(null, full);
    },
    flush(done) {
      done(null, size > 0 ? Buffer.concat(pending, size) : null);
    },
  });
}

/** The columns as a Markdown list, for the API description. */
export function exportColumnsDescription(): string {
  return Object.entries(EXPORT_COLUMNS)
    .map(([report, columns]) => `**${report}**: ${columns.map(([column, meaning]) => `\`${column}\` (${meaning})`).join(', ')}`)
    .join('\n\n');
}
