import { Injectable } from '@nestjs/common';
import { pipeline, type Readable } from 'node:stream';
import { NotFoundError } from '../common/domain-errors.js';
import type { Protocol } from '../common/protocol.js';
import type { Profile } from '../profiles/profile.entity.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { exportChunks, exportEncoder, type ExportFormat } from './export-format.js';
import { FIGURES, noFigures, type Figures } from './post-figures.js';
import { assertTimeZone, reportPeriod, type ReportPeriod } from './report-period.js';
import type { ExportQueryDto, PostsReportQueryDto, ReportQueryDto } from './report-query.dto.js';
import { ReportsRepository, type PostRow, type ReportScope } from './reports.repository.js';

export type FiguresWithTotal = Figures & { total: number };

export interface PeriodView {
  from: string;
  to: string;
  timeZone: string;
  start: Date;
  end: Date;
}

export interface PostReport {
  postId: string;
  publishedAt: Date;
  publishedDate: string;
  label: string;
  total: number;
  networks: Partial<Record<Protocol, FiguresWithTotal>>;
}

export interface FollowerFigures {
  atStart: number;
  atEnd: number;
  follows: number;
  unfollows: number;
}

export interface NetworkSummary extends FiguresWithTotal {
  posts: number;
  /** Total per post published in the period on this network (0 without posts). */
  perPost: number;
  followers: FollowerFigures;
}

export interface SummaryReport {
  period: PeriodView;
  networks: Array<NetworkSummary & { network: Protocol }>;
  together: NetworkSummary;
}

export interface FollowerDay {
  date: string;
  networks: Partial<Record<Protocol, { followers: number; follows: number; unfollows: number }>>;
  together: { followers: number; follows: number; unfollows: number };
}

export interface ResponseTimes {
  answered: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
}

export interface ModerationReport {
  period: PeriodView;
  everyone: ResponseTimes;
  moderators: Array<ResponseTimes & { moderatorId: string | null; name: string | null }>;
  /** Replies, mentions and quotes received in the period that still wait for an answer. */
  unanswered: number;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Readable;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/jsonl; charset=utf-8' };

/** Reach, audience and moderation reports over a period; the API, the console and the exports read them here. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly profiles: ProfilesRepository,
  ) {}

  async summary(profileId: string, query: ReportQueryDto): Promise<SummaryReport> {
    const { scope, networks } = await this.scope(profileId, query);
    const [totals, followers] = await Promise.all([this.reports.networkTotals(scope), this.reports.followerTotals(scope)]);
    const perNetwork = networks.map((network) => {
      const row = totals.find((each) => each.network === network);
      const follower = followers.find((each) => each.network === network);
      const figures = Object.fromEntries(FIGURES.map((figure) => [figure, Number(row?.[figure] ?? 0)])) as Figures;
      const posts = Number(row?.posts ?? 0);
      const total = Number(row?.total ?? 0);
      return {
        network,
        posts,
        ...figures,
        total,
        perPost: perPost(total, posts),
        followers: {
          atStart: Number(follower?.at_start ?? 0),
          atEnd: Number(follower?.at_end ?? 0),
          follows: Number(follower?.follows ?? 0),
          unfollows: Number(follower?.unfollows ?? 0),
        },
      };
    });
    const together = perNetwork.reduce<NetworkSummary>(
      (sum, each) => {
        for (const figure of FIGURES) sum[figure] += each[figure];
        sum.total += each.total;
        sum.posts += each.posts;
        for (const key of ['atStart', 'atEnd', 'follows', 'unfollows'] as const) sum.followers[key] += each.followers[key];
        return sum;
      },
      { ...noFigures(), total: 0, posts: 0, perPost: 0, followers: { atStart: 0, atEnd: 0, follows: 0, unfollows: 0 } },
    );
    // A post on two networks counts once in `together`'s posts.
    together.posts = await this.reports.distinctPosts(scope);
    together.perPost = perPost(together.total, together.posts);
    return { period: periodView(scope.period), networks: perNetwork, together };
  }

  async posts(profileId: string, query: PostsReportQueryDto): Promise<{ period: PeriodView; posts: PostReport[] }> {
    const { scope } = await this.scope(profileId, query);
    const rows = await this.reports.postRows(scope, query.sort ?? 'published', query.limit ?? 100);
    return { period: periodView(scope.period), posts: groupByPost(rows) };
  }

  async post(profileId: string, postId: string, timeZone = 'UTC'): Promise<PostReport> {
    await this.profile(profileId);
    assertTimeZone(timeZone);
    const post = await this.reports.publishedPost(profileId, postId, timeZone);
    if (!post) throw new NotFoundError('Published post', postId);
    const [report] = groupByPost(await this.reports.onePostRows(profileId, postId, timeZone));
    return report ?? { ...post, total: 0, networks: {} };
  }

  async followers(profileId: string, query: ReportQueryDto): Promise<{ period: PeriodView; days: FollowerDay[] }> {
    const { scope, networks } = await this.scope(profileId, query);
    const rows = await this.reports.followerDays(scope, networks);
    const days = new Map<string, FollowerDay>();
    for (const row of rows) {
      const day = days.get(row.date) ?? { date: row.date, networks: {}, together: { followers: 0, follows: 0, unfollows: 0 } };
      day.networks[row.network] = { followers: row.followers, follows: row.follows, unfollows: row.unfollows };
      day.together.followers += row.followers;
      day.together.follows += row.follows;
      day.together.unfollows += row.unfollows;
      days.set(row.date, day);
    }
    return { period: periodView(scope.period), days: [...days.values()] };
  }

  async moderation(profileId: string, query: ReportQueryDto): Promise<ModerationReport> {
    const { scope } = await this.scope(profileId, query);
    const [rows, unanswered] = await Promise.all([this.reports.responseTimes(scope), this.reports.unanswered(scope)]);
    const times = (row: (typeof rows)[number] | undefined): ResponseTimes => ({
      answered: Number(row?.answered ?? 0),
      medianSeconds: seconds(row?.median_seconds),
      p90Seconds: seconds(row?.p90_seconds),
      meanSeconds: seconds(row?.mean_seconds),
    });
    return {
      period: periodView(scope.period),
      everyone: times(rows.find((row) => row.everyone)),
      moderators: rows
        .filter((row) => !row.everyone)
        .map((row) => ({ moderatorId: row.moderator_id, name: row.moderator_name, ...times(row) })),
      unanswered,
    };
  }

  /** A streamed export; the numbers are the ones `summary`, `posts` and `followers` give for the same query. */
  async export(profileId: string, query: ExportQueryDto): Promise<ExportFile> {
    const { scope, networks, profile } = await this.scope(profileId, query);
    const format = query.format ?? 'csv';
    const rows = await this.reports.exportRows(query.report, scope, networks);
    // pipeline: the cursor reads only as fast as the encoder's reader takes bytes (backpressure), and an
    // error or an early close on either side destroys both, so the cursor's connection goes back to the pool.
    // The caller pipes the body on (the HTTP response) and sees a database error there as the body's error.
    const body = pipeline(rows, exportEncoder(query.report, format), exportChunks(), () => undefined);
    return {
      filename: `${profile.handle}-${query.report}-${scope.period.from}-${scope.period.to}.${format}`,
      contentType: CONTENT_TYPES[format],
      body,
    };
  }

  private async profile(profileId: string): Promise<Profile> {
    const profile = await this.profiles.findById(profileId);
    if (!profile) throw new NotFoundError('Profile', profileId);
    return profile;
  }

  private async scope(profileId: string, query: ReportQueryDto) {
    const period = reportPeriod(query.from, query.to, query.timeZone ?? 'UTC');
    const profile = await this.profile(profileId);
    const networks = query.network ? [query.network] : [...profile.protocols];
    const scope: ReportScope = { profileId, period, networks: query.network ? [query.network] : undefined };
    return { scope, networks, profile };
  }
}

function periodView(period: ReportPeriod): PeriodView {
  return { from: period.from, to: period.to, timeZone: period.timeZone, start: period.start, end: period.end };
}

const perPost = (total: number, posts: number): number => (posts === 0 ? 0 : Math.round((total / posts) * 100) / 100);

const seconds = (value: number | string | null | undefined): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value));

function groupByPost(rows: PostRow[]): PostReport[] {
  const byPost = new Map<string, PostReport>();
  for (const row of rows) {
    const report = byPost.get(row.post_id) ?? {
      postId: row.post_id,
      publishedAt: row.published_at,
      publishedDate: row.published_date,
      label: row.label,
      total: 0,
      networks: {},
    };
    const figures = Object.fromEntries(FIGURES.map((figure) => [figure, row[figure]])) as Figures;
    report.networks[row.network] = { ...figures, total: row.total };
    report.total += row.total;
    byPost.set(row.post_id, report);
  }
  return [...byPost.values()];
}
