// Exports at scale: loads 50,000 published posts (a year of a busy profile, on both networks) and
// 1,000,000 fediverse interactions on them into a scratch database migrated with Herald's own
// migrations, then exports the year as CSV through Herald's export path (ReportsService.export:
// a PostgreSQL cursor, pg-query-stream, csv-stringify) and, as the baseline in the same run, the
// same SQL through `psql \copy ... TO ... CSV`. Prints rows/s, peak RSS and pass/fail against the
// goals: peak RSS under 150 MB, and within 3x the \copy time.
// Then the same exports over HTTP from a real Herald web process (dist/src/main.js: Nest, Fedify and
// the embedded PDS loaded) on the same database: its RSS before the request (baseline) and its peak
// during it (the kernel's VmHWM, reset before each request), so baseline and growth read apart.
// Usage: npm run bench:export [-- --posts=50000 --interactions=1000000 --database=postgres://postgres@127.0.0.1:5432/postgres --explain --keep --reuse=<database> --no-web]
import 'reflect-metadata';
import { type ChildProcess, execFile, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrations } from '../src/database/migrator.js';
import { ProfilesRepository } from '../src/profiles/profiles.repository.js';
import { reportPeriod } from '../src/analytics/report-period.js';
import { ReportsRepository, type ExportReport } from '../src/analytics/reports.repository.js';
import { ReportsService } from '../src/analytics/reports.service.js';
import { adminSql, flagArgs } from './support/herald-stack.js';

const args = flagArgs();
const POSTS = Number(args.posts ?? 50_000);
const INTERACTIONS = Number(args.interactions ?? 1_000_000);
const ADMIN_URL = args.database ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RSS_GOAL_MB = 150;
const COPY_RATIO_GOAL = 3;
const YEAR = { from: '2025-01-01', to: '2025-12-31', timeZone: 'Europe/Brussels' };

const run = promisify(execFile);
// --reuse=<database> runs the exports again on a database a --keep run left behind.
const dbName = args.reuse ?? `herald_bench_export_${randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const mb = (bytes: number) => bytes / 1024 / 1024;

const admin = (sql: string) => adminSql(ADMIN_URL, sql);

/** Bulk data for a benchmark, generated in SQL: posts spread over 2025, each published on both networks. */
async function load(db: DataSource): Promise<string> {
  const [{ id: profileId }] = await db.query(
    `INSERT INTO profile (handle, domain, display_name, protocols) VALUES ('busy', 'busy.example', 'Busy', '{activitypub,atproto}') RETURNING id`,
  );
  await db.query(
    `INSERT INTO post (profile_id, kind, text, status, published_at, created_at)
     SELECT $1, 'note', 'Post number ' || g || ', with a sentence or two of text as a newsroom would write it.', 'published',
       timestamptz '2025-01-01 00:00:00+00' + (g::float8 / $2) * interval '365 days',
       timestamptz '2025-01-01 00:00:00+00' + (g::float8 / $2) * interval '365 days'
     FROM generate_series(0, $2 - 1) g`,
    [profileId, POSTS],
  );
  await db.query(
    `INSERT INTO publication (post_id, protocol, state, action, remote_id, published_at)
     SELECT post.id, protocol, 'published', 'publish', protocol || ':' || post.id, post.published_at
     FROM post CROSS JOIN unnest('{activitypub,atproto}'::text[]) protocol`,
  );
  // Bluesky: two polls per post, the later with higher counts (readers must take the latest).
  await db.query(
    `INSERT INTO metric_snapshot (post_id, protocol, taken_at, likes, reposts, replies, quotes)
     SELECT id, 'atproto', published_at + interval '1 hour' * poll, (hashtext(id::text) & 255) * poll, poll * 3, poll * 2, poll
     FROM post CROSS JOIN generate_series(1, 2) poll`,
  );
  const indexes: Array<{ indexname: string; indexdef: string }> = await db.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'interaction' AND indexname LIKE 'interaction\\_%\\_idx'`,
  );
  for (const index of indexes) await db.query(`DROP INDEX ${index.indexname}`);
  await db.query(
    `WITH posts AS (SELECT array_agg(id ORDER BY published_at) AS ids, array_agg(published_at ORDER BY published_at) AS times FROM post)
     INSERT INTO interaction (profile_id, protocol, kind, remote_id, author_id, author_domain, target_post_id, received_at, withdrawn_at)
     SELECT $1, 'activitypub',
       (ARRAY['like', 'like', 'like', 'like', 'repost', 'repost', 'reply', 'quote'])[1 + (g % 8)],
       'https://server' || (g % 700) || '.example/activities/' || g,
       'https://server' || (g % 700) || '.example/users/u' || (g % 90000),
       'server' || (g % 700) || '.example',
       posts.ids[(1 + (g::bigint * 7919) % $2)::int],
       posts.times[(1 + (g::bigint * 7919) % $2)::int] + (g % 72) * interval '1 hour',
       CASE WHEN g % 50 = 0 THEN now() END
     FROM posts, generate_series(0, $3 - 1) g`,
    [profileId, POSTS, INTERACTIONS],
  );
  for (const index of indexes) await db.query(index.indexdef);
  // As autovacuum leaves a table that has settled: statistics, and the visibility map index-only scans need.
  await db.query('VACUUM ANALYZE');
  return profileId;
}

interface ChildResult {
  ms: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/**
 * The export runs in a process of its own (Herald's database options, the reports service, the
 * export encoder), so its peak RSS is the export's and not the loader's. The resident set is
 * sampled every 10 ms and the kernel's maxRSS covers the gaps between samples.
 */
async function exportInChild(databaseUrl: string, profileId: string, report: ExportReport, file: string): Promise<void> {
  const db = new DataSource(dataSourceOptions(databaseUrl, 'public'));
  await db.initialize();
  const service = new ReportsService(new ReportsRepository(db), new ProfilesRepository(db));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = performance.now();
  const exported = await service.export(profileId, { ...YEAR, report, format: 'csv' });
  await pipeline(exported.body, createWriteStream(file));
  const ms = performance.now() - started;
  clearInterval(sampler);
  const result: ChildResult = { ms, baselineRssMb: mb(baseline), peakRssMb: mb(Math.max(peak, process.resourceUsage().maxRSS * 1024)) };
  process.send!(result);
  await db.destroy();
}

function exportInProcess(profileId: string, report: ExportReport, file: string): Promise<ChildResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--child', dbUrl, profileId, report, file]);
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as ChildResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`export process exited with ${code}`))));
  });
}

/** Herald's SQL for an export with its parameters written in as literals, for psql's \copy (one line). */
function inlined(sql: string, params: unknown[], client: pg.Client): string {
  let text = sql;
  for (let index = params.length; index >= 1; index -= 1) {
    const value = params[index - 1];
    const literal =
      value === null || value === undefined
        ? 'NULL'
        : value instanceof Date
          ? client.escapeLiteral(value.toISOString())
          : Array.isArray(value)
            ? client.escapeLiteral(`{${value.join(',')}}`)
            : client.escapeLiteral(String(value));
    text = text.replaceAll(`$${index}`, literal);
  }
  return text.replace(/\s+/g, ' ');
}

/** Lines of a file, read in chunks (a whole export would not fit a small heap). */
async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) for (const byte of chunk as Buffer) if (byte === 10) lines += 1;
  return lines;
}

// ---------- the same exports over HTTP from a Herald web process ----------
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// A new address each run: a --reuse'd database keeps the previous run's admin.
const WEB_ADMIN = { email: `bench-export-${randomBytes(4).toString('hex')}@example.test`, password: 'export bench only, not a secret' };
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A figure of /proc/<pid>/status in MB (VmRSS: now; VmHWM: the peak since the last reset). */
async function procMb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return kb / 1024;
}

interface WebHerald {
  url: string;
  token: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function startWebHerald(databaseUrl: string): Promise<WebHerald> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-bench-export-web-'));
  const prefix = `herald-bench-export-${randomBytes(4).toString('hex')}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    HERALD_ROLE: 'web',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
  const log = createWriteStream(join(dataDir, 'web.log'));
  const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(30_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`Herald web exited with ${child.exitCode}: ${await readFile(join(dataDir, 'web.log'), 'utf8')}`);
      const up = await fetch(`${url}/.well-known/nodeinfo`, { signal: AbortSignal.timeout(2000) })
        .then((response) => response.ok)
        .catch(() => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error('Herald web did not start in 3 minutes');
      await sleep(300);
    }
    const cli = spawn(process.execPath, [join(root, 'dist/src/cli.js'), 'create-admin', '--email', WEB_ADMIN.email], {
      env: { ...env, HERALD_ADMIN_PASSWORD: WEB_ADMIN.password },
      stdio: 'ignore',
    });
    const [code] = await once(cli, 'exit');
    if (code !== 0) throw new Error(`create-admin exited with ${code}`);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(WEB_ADMIN),
      signal: AbortSignal.timeout(10_000),
    });
    const { token } = (await login.json()) as { token: string };
    return { url, token, process: child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface WebResult {
  ms: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/** One export downloaded from the web process into a file, as a browser would save it. */
async function exportOverHttp(web: WebHerald, profileId: string, report: ExportReport, file: string): Promise<WebResult> {
  const pid = web.process.pid!;
  const baselineRssMb = await procMb(pid, 'VmRSS');
  // Resets VmHWM to the current RSS, so the peak read after the export is this request's.
  await writeFile(`/proc/${pid}/clear_refs`, '5');
  const query = new URLSearchParams({ report, format: 'csv', ...YEAR });
  const started = performance.now();
  const response = await fetch(`${web.url}/api/profiles/${profileId}/reports/export?${query}`, {
    headers: { authorization: `Bearer ${web.token}` },
    signal: AbortSignal.timeout(600_000),
  });
  if (!response.ok || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  const ms = performance.now() - started;
  return { ms, baselineRssMb, peakRssMb: await procMb(pid, 'VmHWM') };
}

async function main(): Promise<void> {
  if (!args.reuse) await admin(`CREATE DATABASE ${dbName}`);
  const db = new DataSource(dataSourceOptions(dbUrl, 'public'));
  const folder = await mkdtemp(join(tmpdir(), 'herald-bench-export-'));
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  let allPass = true;
  try {
    await db.initialize();
    await runMigrations(db);
    const started = performance.now();
    const profileId = args.reuse
      ? ((await db.query(`SELECT id FROM profile WHERE handle = 'busy'`)) as Array<{ id: string }>)[0].id
      : await load(db);
    if (!args.reuse)
      say(
        `loaded ${POSTS.toLocaleString('en')} posts (both networks) and ${INTERACTIONS.toLocaleString('en')} interactions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );

    const repository = new ReportsRepository(db);
    const copyMsByReport: Partial<Record<ExportReport, number>> = {};
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    for (const report of ['posts', 'interactions'] as ExportReport[]) {
      const heraldFile = join(folder, `${report}-herald.csv`);
      const herald = await exportInProcess(profileId, report, heraldFile);
      const heraldRows = (await countLines(heraldFile)) - 1;
      const bytes = (await stat(heraldFile)).size;

      // The baseline: the same SQL, the same parameters, written by psql's \copy.
      const scope = { profileId, period: reportPeriod(YEAR.from, YEAR.to, YEAR.timeZone) };
      const { sql, params } = repository.exportQuery(report, scope, ['activitypub', 'atproto']);
      if (args.explain) {
        const plan: Array<{ 'QUERY PLAN': string }> = await client
          .query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)
          .then((result) => result.rows);
        for (const row of plan) say(`   | ${row['QUERY PLAN']}`);
      }
      const copyFile = join(folder, `${report}-copy.csv`);
      const copyStarted = performance.now();
      await run('psql', [
        dbUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy (${inlined(sql, params, client)}) TO '${copyFile}' WITH (FORMAT csv, HEADER)`,
      ]);
      const copyMs = performance.now() - copyStarted;
      copyMsByReport[report] = copyMs;
      const copyRows = (await countLines(copyFile)) - 1;

      const ratio = herald.ms / copyMs;
      const rssPass = herald.peakRssMb < RSS_GOAL_MB;
      const timePass = ratio <= COPY_RATIO_GOAL;
      allPass &&= rssPass && timePass && heraldRows === copyRows;
      say(`── ${report} export, ${YEAR.from}..${YEAR.to} (${YEAR.timeZone})`);
      say(
        `   Herald (cursor + csv-stringify): ${heraldRows.toLocaleString('en')} rows, ${mb(bytes).toFixed(1)} MB in ${(herald.ms / 1000).toFixed(2)} s = ${Math.round(heraldRows / (herald.ms / 1000)).toLocaleString('en')} rows/s, peak RSS ${herald.peakRssMb.toFixed(1)} MB (${herald.baselineRssMb.toFixed(1)} MB before the first row)`,
      );
      say(
        `   psql \\copy baseline:             ${copyRows.toLocaleString('en')} rows in ${(copyMs / 1000).toFixed(2)} s = ${Math.round(copyRows / (copyMs / 1000)).toLocaleString('en')} rows/s`,
      );
      say(`   same rows: ${heraldRows === copyRows ? 'yes' : 'NO'}`);
      say(`   peak RSS < ${RSS_GOAL_MB} MB: ${rssPass ? 'PASS' : 'FAIL'} (${herald.peakRssMb.toFixed(1)} MB)`);
      say(`   within ${COPY_RATIO_GOAL}x \\copy time: ${timePass ? 'PASS' : 'FAIL'} (${ratio.toFixed(2)}x)`);
    }
    await client.end();

    if (!args['no-web']) {
      const web = await startWebHerald(dbUrl);
      try {
        for (const report of ['posts', 'interactions'] as ExportReport[]) {
          const file = join(folder, `${report}-web.csv`);
          const result = await exportOverHttp(web, profileId, report, file);
          const rows = (await countLines(file)) - 1;
          const ratio = result.ms / copyMsByReport[report]!;
          say(`── ${report} export over HTTP from a Herald web process (Nest, Fedify, embedded PDS)`);
          say(
            `   ${rows.toLocaleString('en')} rows in ${(result.ms / 1000).toFixed(2)} s = ${Math.round(rows / (result.ms / 1000)).toLocaleString('en')} rows/s (${ratio.toFixed(2)}x \\copy); RSS ${result.baselineRssMb.toFixed(1)} MB before the request, peak ${result.peakRssMb.toFixed(1)} MB: +${(result.peakRssMb - result.baselineRssMb).toFixed(1)} MB for the export`,
          );
        }
      } finally {
        await web.stop();
      }
    }
    say(allPass ? 'all goals met' : 'some goals missed');
  } finally {
    if (db.isInitialized) await db.destroy();
    await rm(folder, { recursive: true, force: true });
    if (args.keep) console.log(`kept database ${dbName}`);
    else await admin(`DROP DATABASE IF EXISTS ${dbName}`);
  }
  process.exitCode = allPass ? 0 : 1;
}

if (process.argv[2] === '--child') {
  const [databaseUrl, profileId, report, file] = process.argv.slice(3);
  await exportInChild(databaseUrl, profileId, report as ExportReport, file);
} else {
  await main();
}
