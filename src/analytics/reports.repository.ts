import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import type { Protocol } from '../common/protocol.js';
import { FIGURES } from './post-figures.js';
import { COUNTED_KIND_LIST, figureOfKindSql, latestFiguresSql } from './post-figures.sql.js';
import type { ReportPeriod } from './report-period.js';

/** A period query's scope. */
export interface ReportScope {
  profileId: string;
  period: ReportPeriod;
  /** Only these networks; all when absent. */
  networks?: Protocol[];
}

/** $1 profile, $2 start, $3 end, $4 networks (null: all). */
const periodParams = (scope: ReportScope): unknown[] => [scope.profileId, scope.period.start, scope.period.end, scope.networks ?? null];
/** $1 profile, $2 start, $3 end, $4 networks (null: all), $5 time zone. */
const postRowParams = (scope: ReportScope): unknown[] => [...periodParams(scope), scope.period.timeZone];

const FIGURE_LIST = FIGURES.join(', ');
const IN_PERIOD = 'published_at >= $2 AND published_at < $3';

/**
 * A row per post published in the period and network it is published on, with
 * the post's latest figures there. The API, the console and the exports all
 * read this one query, so their numbers agree.
 */
const postRowsSql = (postsWhere: string): string => `WITH posts AS (
    SELECT id, published_at, kind, title, text FROM post
    WHERE profile_id = $1 AND status = 'published' AND audience IN ('public', 'unlisted') AND ${postsWhere}
  ), on_networks AS (
    SELECT posts.*, publication.protocol AS network FROM posts JOIN publication ON publication.post_id = posts.id
    WHERE publication.published_at IS NOT NULL AND ($4::text[] IS NULL OR publication.protocol = ANY($4::text[]))
  ), figures AS (${latestFiguresSql(`SELECT id FROM post WHERE profile_id = $1 AND status = 'published' AND audience IN ('public', 'unlisted') AND ${postsWhere}`)}
  ), post_rows AS (
    SELECT on_networks.id AS post_id, on_networks.published_at,
      to_char(on_networks.published_at AT TIME ZONE $5, 'YYYY-MM-DD') AS published_date, on_networks.network,
      ${FIGURES.map((figure) => `coalesce(figures.${figure}, 0) AS ${figure}`).join(', ')},
      ${FIGURES.map((figure) => `coalesce(figures.${figure}, 0)`).join(' + ')} AS total,
      left(CASE WHEN on_networks.kind = 'article' THEN coalesce(on_networks.title, '') ELSE on_networks.text END, 200) AS label
    FROM on_networks LEFT JOIN figures ON figures.post_id = on_networks.id AND figures.network = on_networks.network
  )`;

/** Follower events of the profile until the period's end, by network and local day. */
/**
 * Followers at the end of each local day of the period, with that day's follows and unfollows, per network.
 * $1 profile, $2 end, $3 time zone, $4 first day, $5 last day, $6 networks (every day has a row for each).
 */
const FOLLOWER_DAYS = `WITH daily AS (
    SELECT protocol AS network, (occurred_at AT TIME ZONE $3)::date AS day,
      count(*) FILTER (WHERE kind = 'follow')::int AS follows, count(*) FILTER (WHERE kind = 'unfollow')::int AS unfollows
    FROM follower_event
    WHERE profile_id = $1 AND occurred_at < $2 AND protocol = ANY($6::text[])
    GROUP BY 1, 2
  ), days AS (
    SELECT day::date AS day FROM generate_series($4::date, $5::date, interval '1 day') AS day
  ), networks AS (
    SELECT unnest($6::text[]) AS network
  ), before AS (
    SELECT network, sum(follows - unfollows) AS base FROM daily WHERE day < $4::date GROUP BY network
  )
  SELECT to_char(days.day, 'YYYY-MM-DD') AS date, networks.network,
    (coalesce(before.base, 0) + sum(coalesce(daily.follows, 0) - coalesce(daily.unfollows, 0))
      OVER (PARTITION BY networks.network ORDER BY days.day))::int AS followers,
    coalesce(daily.follows, 0) AS follows, coalesce(daily.unfollows, 0) AS unfollows
  FROM days CROSS JOIN networks
  LEFT JOIN daily ON daily.day = days.day AND daily.network = networks.network
  LEFT JOIN before ON before.network = networks.network
  ORDER BY days.day, networks.network`;

const followerDayParams = (scope: ReportScope, networks: Protocol[]): unknown[] => [
  scope.profileId,
  scope.period.end,
  scope.period.timeZone,
  scope.period.from,
  scope.period.to,
  networks,
];

export type PostRow = Record<(typeof FIGURES)[number] | 'total', number> & {
  post_id: string;
  published_at: Date;
  published_date: string;
  network: Protocol;
  label: string;
};

export interface NetworkTotalsRow {
  network: Protocol;
  posts: string;
  likes: string;
  reposts: string;
  replies: string;
  quotes: string;
  reactions: string;
  total: string;
}

export interface FollowerTotalsRow {
  network: Protocol;
  at_start: string;
  at_end: string;
  follows: string;
  unfollows: string;
}

export interface FollowerDayRow {
  date: string;
  network: Protocol;
  followers: number;
  follows: number;
  unfollows: number;
}

export interface ResponseTimeRow {
  moderator_id: string | null;
  moderator_name: string | null;
  everyone: boolean;
  answered: string;
  median_seconds: number | null;
  p90_seconds: number | null;
  mean_seconds: number | null;
}

/** What an export can hold; each streams rows from a cursor. */
export const EXPORT_REPORTS = ['posts', 'interactions', 'followers'] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];

/** A timestamp as the text Date.toISOString() gives (what the API's JSON holds), formatted by the database. */
const isoUtc = (column: string, name = column): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${name}`;

/** Each export's SQL; its columns are EXPORT_COLUMNS's, in that order (rows are read as arrays). */
const EXPORT_SQL: Record<Exclude<ExportReport, 'followers'>, string> = {
  posts: `${postRowsSql(IN_PERIOD)} SELECT post_id, ${isoUtc('published_at')}, published_date, network, ${FIGURE_LIST}, total, label
    FROM post_rows ORDER BY post_rows.published_at, post_id, network`,
  // Fediverse only: Bluesky's figures are counts read from its AppView, not single interactions.
  interactions: `WITH posts AS (
      SELECT id FROM post WHERE profile_id = $1 AND status = 'published' AND audience IN ('public', 'unlisted') AND ${IN_PERIOD}
    )
    SELECT interaction.id AS interaction_id, ${isoUtc('interaction.received_at', 'received_at')},
      to_char(interaction.received_at AT TIME ZONE $5, 'YYYY-MM-DD') AS received_date, interaction.protocol AS network,
      interaction.kind, ${figureOfKindSql('interaction.kind', 'interaction')} AS figure, interaction.target_post_id AS post_id, interaction.author_domain
    FROM interaction
    WHERE interaction.protocol = 'activitypub' AND ($4::text[] IS NULL OR 'activitypub' = ANY($4::text[]))
      AND interaction.withdrawn_at IS NULL AND interaction.kind IN ${COUNTED_KIND_LIST} AND interaction.audience IN ('public', 'unlisted')
      AND interaction.target_post_id IN (SELECT id FROM posts)
    ORDER BY interaction.received_at, interaction.id`,
};

/**
 * Rows fetched from the cursor at a time, and the most the stream holds (pg-query-stream's highWaterMark is
 * its batch size). Small on purpose: a fetch's rows all live until the encoder has taken them, and at 2,000 a
 * fetch they outlived V8's young-generation collections and piled up in the old generation (peak RSS +100 MB
 * for a million rows alone, +290 MB in a web process; +20 MB and +0.4 MB at 250, no slower: bench/export.ts).
 */
const EXPORT_BATCH_ROWS = 250;

/** Read model for the reports API, the console's reports page and the exports. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Post rows, ordered by newest or by engagement (all networks together), for at most `limit` posts. */
  async postRows(scope: ReportScope, order: 'published' | 'engagement', limit: number): Promise<PostRow[]> {
    const rank = order === 'engagement' ? 'sum(total) DESC, max(published_at) DESC' : 'max(published_at) DESC';
    const rows: PostRow[] = await this.dataSource.query(
      `${postRowsSql(IN_PERIOD)}, chosen AS (
         SELECT post_id, row_number() OVER (ORDER BY ${rank}, post_id DESC) AS position
         FROM post_rows GROUP BY post_id ORDER BY position LIMIT $6
       )
       SELECT post_rows.* FROM post_rows JOIN chosen USING (post_id) ORDER BY chosen.position, post_rows.network`,
      [...postRowParams(scope), limit],
    );
    return rows.map(numericFigures);
  }

  /** One post's rows, whenever it was published. */
  async onePostRows(profileId: string, postId: string, timeZone: string): Promise<PostRow[]> {
    // $2 and $3 stand for the period's bounds in the shared query; here $2 is the post and $3 unused.
    const rows: PostRow[] = await this.dataSource.query(
      `${postRowsSql('id = $2::uuid AND $3::timestamptz IS NULL')} SELECT * FROM post_rows ORDER BY network`,
      [profileId, postId, null, null, timeZone],
    );
    return rows.map(numericFigures);
  }

  /** Posts published in the period on at least one of the scope's networks. */
  async distinctPosts(scope: ReportScope): Promise<number> {
    const [row] = await this.dataSource.query(
      `${postRowsSql(IN_PERIOD)} SELECT count(DISTINCT post_id) AS n FROM post_rows`,
      postRowParams(scope),
    );
    return Number(row.n);
  }

  async publishedPost(
    profileId: string,
    postId: string,
    timeZone: string,
  ): Promise<{ postId: string; publishedAt: Date; publishedDate: string; label: string } | null> {
    const [row] = await this.dataSource.query(
      `SELECT id, published_at, to_char(published_at AT TIME ZONE $3, 'YYYY-MM-DD') AS published_date,
         left(CASE WHEN kind = 'article' THEN coalesce(title, '') ELSE text END, 200) AS label
       FROM post WHERE id = $2 AND profile_id = $1 AND status = 'published'`,
      [profileId, postId, timeZone],
    );
    return row ? { postId: row.id, publishedAt: row.published_at, publishedDate: row.published_date, label: row.label } : null;
  }

  networkTotals(scope: ReportScope): Promise<NetworkTotalsRow[]> {
    return this.dataSource.query(
      `${postRowsSql(IN_PERIOD)}
       SELECT network, count(*) AS posts, ${FIGURES.map((figure) => `sum(${figure}) AS ${figure}`).join(', ')}, sum(total) AS total
       FROM post_rows GROUP BY network ORDER BY network`,
      postRowParams(scope),
    );
  }

  followerTotals(scope: ReportScope): Promise<FollowerTotalsRow[]> {
    return this.dataSource.query(
      `SELECT protocol AS network,
         count(*) FILTER (WHERE kind = 'follow' AND occurred_at < $2) - count(*) FILTER (WHERE kind = 'unfollow' AND occurred_at < $2) AS at_start,
         count(*) FILTER (WHERE kind = 'follow') - count(*) FILTER (WHERE kind = 'unfollow') AS at_end,
         count(*) FILTER (WHERE kind = 'follow' AND occurred_at >= $2) AS follows,
         count(*) FILTER (WHERE kind = 'unfollow' AND occurred_at >= $2) AS unfollows
       FROM follower_event
       WHERE profile_id = $1 AND occurred_at < $3 AND ($4::text[] IS NULL OR protocol = ANY($4::text[]))
       GROUP BY protocol ORDER BY protocol`,
      periodParams(scope),
    );
  }

  followerDays(scope: ReportScope, networks: Protocol[]): Promise<FollowerDayRow[]> {
    return this.dataSource.query(FOLLOWER_DAYS, followerDayParams(scope, networks));
  }

  /**
   * Time from an interaction's arrival to its answer (the first `interaction.answer`
   * in the audit log) for interactions received in the period: per moderator, and
   * for everyone (`everyone`). Seconds.
   */
  responseTimes(scope: ReportScope): Promise<ResponseTimeRow[]> {
    return this.dataSource.query(
      `WITH answered AS (
         SELECT DISTINCT ON (interaction.id) interaction.id, audit_event.actor_id,
           extract(epoch FROM audit_event.created_at - interaction.received_at)::float8 AS seconds
         FROM interaction
         JOIN audit_event ON audit_event.subject_type = 'interaction' AND audit_event.subject_id = interaction.id::text
           AND audit_event.action = 'interaction.answer'
         WHERE interaction.profile_id = $1 AND interaction.received_at >= $2 AND interaction.received_at < $3
           AND ($4::text[] IS NULL OR interaction.protocol = ANY($4::text[]))
         ORDER BY interaction.id, audit_event.created_at
       )
       SELECT answered.actor_id AS moderator_id, staff_user.display_name AS moderator_name,
         GROUPING(answered.actor_id, staff_user.display_name) = 3 AS everyone, count(*) AS answered,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90_seconds, avg(seconds) AS mean_seconds
       FROM answered LEFT JOIN staff_user ON staff_user.id = answered.actor_id
       GROUP BY GROUPING SETS ((answered.actor_id, staff_user.display_name), ())
       ORDER BY everyone DESC, count(*) DESC, staff_user.display_name`,
      periodParams(scope),
    );
  }

  /** Answerable interactions received in the period still waiting for someone. */
  async unanswered(scope: ReportScope): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) AS n FROM interaction
       WHERE profile_id = $1 AND received_at >= $2 AND received_at < $3 AND ($4::text[] IS NULL OR protocol = ANY($4::text[]))
         AND kind IN ('reply', 'mention', 'quote') AND withdrawn_at IS NULL AND state IN ('new', 'assigned')`,
      periodParams(scope),
    );
    return Number(row.n);
  }

  /** An export's SQL and parameters (the benchmark runs the same through psql as its baseline). */
  exportQuery(report: ExportReport, scope: ReportScope, followerNetworks: Protocol[]): { sql: string; params: unknown[] } {
    return report === 'followers'
      ? { sql: FOLLOWER_DAYS, params: followerDayParams(scope, followerNetworks) }
      : { sql: EXPORT_SQL[report], params: postRowParams(scope) };
  }

  /**
   * An export's rows (arrays, in EXPORT_COLUMNS order) from a server-side cursor, a batch at a time, so a year of a
   * busy profile streams in constant memory. The connection goes back to the
   * pool when the stream closes (ended, failed or abandoned by the client).
   */
  async exportRows(report: ExportReport, scope: ReportScope, followerNetworks: Protocol[]): Promise<Readable> {
    const { sql, params } = this.exportQuery(report, scope, followerNetworks);
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as { query(stream: QueryStream): QueryStream };
    // Rows as arrays: a million rows are a million fewer objects to build and collect.
    const rows = client.query(new QueryStream(sql, params, { batchSize: EXPORT_BATCH_ROWS, rowMode: 'array' }));
    rows.once('close', () => void runner.release());
    return rows;
  }
}

const numericFigures = (row: PostRow): PostRow => ({ ...row, ...numbers(row, [...FIGURES, 'total']) });

function numbers<K extends string>(row: Record<string, unknown>, keys: K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, Number(row[key])])) as Record<K, number>;
}
