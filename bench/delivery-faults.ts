// Fault scripts for Herald's durable ActivityPub fan-out (issue 12). Starts, on loopback and on its own
// storage, a Herald as two processes (web and worker), a separate redis-server (no persistence) and a
// follower farm (bench/support/follower-farm.ts) whose N actors follow a Herald profile, each from its own
// host; some hosts answer 500, 429 + Retry-After, 410 or never. Then publishes one post per scenario
// through the API and measures, at the farm, what arrived where and when:
//   1 baseline (all hosts healthy)          2 misbehaving hosts
//   3 SIGKILL of the worker at ~25% and ~75% of the fan-out, restarted at once
//   4 Redis FLUSHALL mid-fan-out, then kill -9 of redis-server and a restart without data
//   5 Herald's PostgreSQL connections terminated mid-fan-out (pg_terminate_backend; the shared server is not restarted)
// Everything it creates (database, redis-server, processes, data directory) is removed at the end, on failure too.
// Usage: npm run bench:faults -- [--followers 2000] [--bad-percent 5] [--scenarios 3,4a,4b,5] [--out bench/results/file.txt]
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { askFarm, type FarmMessage, type FarmRequest, hostAddress, type Mode, modeOf, type Receipt } from './support/farm-hosts.js';
import { dropDatabase, freePort, sleep, stopChildren, waitForRedis } from './support/herald-stack.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const { values: args } = parseArgs({
  options: {
    followers: { type: 'string', default: '2000' },
    'bad-percent': { type: 'string', default: '5' },
    out: { type: 'string', default: '' },
    'scenario-timeout': { type: 'string', default: '420' },
    // Scenarios 1 and 2 always run: the other goals are measured against them.
    scenarios: { type: 'string', default: '3,4a,4b,5' },
  },
});
const N = Number(args.followers);
const BAD_PERCENT = Number(args['bad-percent']);
const SCENARIO_TIMEOUT_MS = Number(args['scenario-timeout']) * 1000;
const FAULTS = new Set(args.scenarios.split(',').map((name) => name.trim()));
for (const name of FAULTS) if (!['3', '4a', '4b', '5'].includes(name)) throw new Error(`--scenarios: unknown scenario ${name}`);
if (!Number.isInteger(N) || N < 10 || N > 60_000) throw new Error('--followers must be an integer from 10 to 60000');
if (!(BAD_PERCENT >= 0 && BAD_PERCENT <= 20)) throw new Error('--bad-percent must be from 0 to 20 (per bad mode)');

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const tag = `${process.pid}_${Date.now().toString(36)}`;
const DB_NAME = `herald_faults_${tag}`;
const REDIS_PREFIX = `herald-faults-${tag}`;
const DELIVERY_ENV = {
  AP_DELIVERY_TIMEOUT_SECONDS: '5',
  AP_DELIVERY_RETRY_BASE_SECONDS: '2',
  PUBLICATION_SWEEP_INTERVAL_SECONDS: '2',
  PUBLICATION_DEADLINE_SECONDS: '5',
};
const ADMIN = { email: 'bench@example.test', password: 'fault scripts only, not a secret' };

// ---------- output ----------
const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

// ---------- processes and storage, all removed by cleanup() ----------
const children = new Set<ChildProcess>();
let dataDir = '';
let dbCreated = false;
let cleaned = false;

async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  await stopChildren(children);
  if (dbCreated) await dropDatabase(DB_NAME);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return once(child, 'exit').then(() => undefined);
}

// ---------- the bench's own redis-server ----------
let redisPort = 0;
let redisServer: ChildProcess | null = null;

async function startRedis(): Promise<void> {
  const child = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  children.add(child);
  redisServer = child;
  await waitForRedis(redisPort);
}

async function redisCommand(...command: [string, ...string[]]): Promise<unknown> {
  const client = new Redis({ port: redisPort, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  try {
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

// ---------- Herald ----------
let heraldPort = 0;
let heraldUrl = '';
let worker: ChildProcess | null = null;

function heraldEnv(role: 'web' | 'worker'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    HERALD_ROLE: role,
    HOST: '127.0.0.1',
    PORT: String(heraldPort),
    PUBLIC_URL: heraldUrl,
    DATA_DIR: join(dataDir, 'herald'),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB_NAME}`,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_PREFIX,
    LOG_LEVEL: 'warn',
    ALLOW_PRIVATE_ADDRESS: 'true',
    HERALD_PDS: 'false',
    ATPROTO_PDS_URL: heraldUrl,
    ...DELIVERY_ENV,
  };
}

let logCount = 0;
/** Processes this bench killed on purpose; any other exit is Herald's own, and is restarted as a supervisor would. */
const killedOnPurpose = new Set<ChildProcess>();
const ownExits: string[] = [];
function startHeraldProcess(role: 'web' | 'worker'): ChildProcess {
  const log: WriteStream = createWriteStream(join(dataDir, `${role}-${++logCount}.log`));
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/src/main.js')], {
    env: heraldEnv(role),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.add(child);
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (cleaned || killedOnPurpose.has(child)) return;
    ownExits.push(`${role} exited by itself (${signal ?? `code ${code}`}) and was restarted`);
    setTimeout(() => {
      if (cleaned) return;
      const again = startHeraldProcess(role);
      if (role === 'worker') worker = again;
    }, 1000);
  });
  return child;
}

async function startWorker(): Promise<void> {
  worker = startHeraldProcess('worker');
}

async function waitForWeb(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Herald web exited with ${child.exitCode}; see ${dataDir}`);
    const ok = await fetch(`${heraldUrl}/.well-known/nodeinfo`, { signal: AbortSignal.timeout(2000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(300);
  }
  throw new Error('Herald web did not answer within 300 s');
}

let token = '';
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${heraldUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------- the farm ----------
let farm: ChildProcess;
const ask = <T extends FarmMessage['type']>(request: FarmRequest, answer: T) => askFarm(farm, request, answer);

// ---------- database figures ----------
let db: pg.Pool | undefined;
const hostIndex = new Map<string, number>();
const modes: Mode[] = Array.from({ length: N }, (_, i) => modeOf(i, N, BAD_PERCENT));

interface DeliveryRow {
  i: number;
  state: string;
  attempts: number;
}

async function deliveryRows(postId: string): Promise<DeliveryRow[]> {
  const { rows } = await db!.query<{ host: string; state: string; attempts: number }>(
    `SELECT d.host, d.state, d.attempts FROM ap_delivery d JOIN ap_fanout f ON f.id = d.fanout_id
     WHERE f.activity_type LIKE '%Create' AND f.body LIKE $1`,
    [`%/posts/${postId}"%`],
  );
  return rows.map((row) => ({ i: hostIndex.get(row.host.split(':')[0]) ?? -1, state: row.state, attempts: row.attempts }));
}

async function publicationState(postId: string): Promise<string | null> {
  const { rows } = await db!.query<{ state: string }>(`SELECT state FROM publication WHERE post_id = $1 AND protocol = 'activitypub'`, [
    postId,
  ]);
  return rows[0]?.state ?? null;
}

async function activeFollowerHosts(): Promise<Set<number>> {
  const { rows } = await db!.query<{ domain: string }>(`SELECT domain FROM follower WHERE until IS NULL AND protocol = 'activitypub'`);
  return new Set(rows.map((row) => hostIndex.get(row.domain.split(':')[0]) ?? -1).filter((i) => i >= 0));
}

async function endedFollowerHosts(): Promise<Set<number>> {
  const { rows } = await db!.query<{ domain: string }>(`SELECT domain FROM follower WHERE until IS NOT NULL AND protocol = 'activitypub'`);
  return new Set(rows.map((row) => hostIndex.get(row.domain.split(':')[0]) ?? -1).filter((i) => i >= 0));
}

// ---------- scenarios ----------
interface Figures {
  name: string;
  note: string;
  healthyExpected: number;
  healthyDelivered: number;
  healthyLost: number;
  deliveries: number;
  duplicates: number;
  duplicatePct: number;
  p50: number | null;
  p90: number | null;
  healthyPending: number;
  badPending: number;
  badPendingByMode: Record<string, number>;
  rate429Delivered: string;
  goneFollowersEnded: string;
  publication: string | null;
  settledMs: number | null;
  timedOut: boolean;
}

type Fault = (progress: () => Promise<number>, healthyExpected: number) => Promise<string>;

let posts = 0;
async function scenario(name: string, profileId: string, fault: Fault | null): Promise<Figures> {
  const active = await activeFollowerHosts();
  const healthy = [...active].filter((i) => modes[i] === 'healthy');
  const publishedAt = Date.now();
  const post = await api<{ id: string }>('POST', `/api/profiles/${profileId}/posts`, {
    kind: 'note',
    text: `Fault scripts: ${name} (${++posts})`,
    language: 'en',
    status: 'published',
  });
  const suffix = `/posts/${post.id}`;
  const progress = async () => {
    const { receipts } = await ask({ type: 'receipts', objectSuffix: suffix }, 'receipts');
    return new Set(receipts.filter((r) => modes[r.i] === 'healthy').map((r) => r.i)).size;
  };
  ownExits.length = 0;
  let note = fault ? await fault(progress, healthy.length) : '';
  // Recovery without manual steps: wait until no healthy destination is pending and the publication has settled.
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  let timedOut = false;
  let settledMs: number | null = null;
  for (;;) {
    const rows = await deliveryRows(post.id).catch(() => null);
    const state = await publicationState(post.id).catch(() => null);
    if (rows && rows.length > 0 && state === 'published' && !rows.some((row) => row.state === 'pending' && modes[row.i] === 'healthy')) {
      settledMs = Date.now() - publishedAt;
      break;
    }
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    await sleep(500);
  }
  // Late arrivals (a re-send racing the last write) show up as duplicates, not as nothing.
  await sleep(1500);
  if (ownExits.length > 0) note = [note, ...ownExits].filter(Boolean).join('; ');
  const { receipts } = await ask({ type: 'receipts', objectSuffix: suffix }, 'receipts');
  const rows = await deliveryRows(post.id);
  const creates = receipts.filter((r: Receipt) => r.type === 'Create');
  const first = new Map<number, number>();
  const perActivity = new Map<string, number>();
  for (const r of creates) {
    if (!first.has(r.i) || first.get(r.i)! > r.at) first.set(r.i, r.at);
    const key = `${r.i} ${r.id}`;
    perActivity.set(key, (perActivity.get(key) ?? 0) + 1);
  }
  const duplicates = [...perActivity.values()].reduce((sum, count) => sum + count - 1, 0);
  const times = healthy
    .filter((i) => first.has(i))
    .map((i) => first.get(i)! - publishedAt)
    .sort((a, b) => a - b);
  const pct = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] : null);
  const badPendingByMode: Record<string, number> = {};
  for (const row of rows)
    if (row.state === 'pending' && modes[row.i] !== 'healthy') badPendingByMode[modes[row.i]] = (badPendingByMode[modes[row.i]] ?? 0) + 1;
  const limited = [...active].filter((i) => modes[i] === 'rate429');
  const gone = [...active].filter((i) => modes[i] === 'gone410');
  const ended = await endedFollowerHosts();
  return {
    name,
    note,
    healthyExpected: healthy.length,
    healthyDelivered: healthy.filter((i) => first.has(i)).length,
    healthyLost: healthy.filter((i) => !first.has(i)).length,
    deliveries: creates.length,
    duplicates,
    duplicatePct: creates.length ? (duplicates / creates.length) * 100 : 0,
    p50: pct(50),
    p90: pct(90),
    healthyPending: rows.filter((row) => row.state === 'pending' && modes[row.i] === 'healthy').length,
    badPending: Object.values(badPendingByMode).reduce((a, b) => a + b, 0),
    badPendingByMode,
    rate429Delivered: `${limited.filter((i) => first.has(i)).length}/${limited.length}`,
    goneFollowersEnded: `${gone.filter((i) => ended.has(i)).length}/${gone.length}`,
    publication: await publicationState(post.id),
    settledMs,
    timedOut,
  };
}

/** Waits until `fraction` of the healthy inboxes have the post; returns the fraction reached. */
async function reach(progress: () => Promise<number>, total: number, fraction: number): Promise<number> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const got = await progress();
    if (got >= total * fraction || got >= total || Date.now() > deadline) return got / total;
    await sleep(50);
  }
}

const pctText = (x: number) => `${Math.round(x * 100)}%`;

const killWorker: Fault = async (progress, total) => {
  const notes: string[] = [];
  for (const at of [0.25, 0.75]) {
    const reached = await reach(progress, total, at);
    if (worker) {
      killedOnPurpose.add(worker);
      worker.kill('SIGKILL');
      await waitExit(worker);
    }
    notes.push(`worker SIGKILLed at ${pctText(reached)} of healthy inboxes`);
    await startWorker();
  }
  return `${notes.join('; ')}; restarted at once each time`;
};

const flushRedis: Fault = async (progress, total) => {
  const reached = await reach(progress, total, 0.5);
  await redisCommand('FLUSHALL');
  return `FLUSHALL at ${pctText(reached)} of healthy inboxes`;
};

const crashRedis: Fault = async (progress, total) => {
  const reached = await reach(progress, total, 0.5);
  const old = redisServer!;
  old.kill('SIGKILL');
  await waitExit(old);
  children.delete(old);
  await sleep(2000);
  await startRedis();
  return `redis-server kill -9 at ${pctText(reached)} of healthy inboxes, restarted empty (no persistence) 2 s later`;
};

const terminatePg: Fault = async (progress, total) => {
  const notes: string[] = [];
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  try {
    for (const at of [0.3, 0.7]) {
      const reached = await reach(progress, total, at);
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> 'faults-bench'`,
        [DB_NAME],
      );
      notes.push(`${rowCount} connections terminated at ${pctText(reached)}`);
    }
  } finally {
    await admin.end();
  }
  return `simulated PostgreSQL restart (the shared server is not restarted): ${notes.join('; ')}`;
};

// ---------- report ----------
function report(f: Figures): void {
  const ms = (x: number | null) => (x === null ? 'n/a' : `${(x / 1000).toFixed(2)} s`);
  say(`## ${f.name}${f.note ? ` — ${f.note}` : ''}`);
  say(
    `  delivered to healthy: ${f.healthyDelivered}/${f.healthyExpected}, lost healthy inboxes: ${f.healthyLost}, ` +
      `duplicates: ${f.duplicates} of ${f.deliveries} deliveries (${f.duplicatePct.toFixed(2)}%)`,
  );
  say(`  publish → receipt at healthy inboxes: p50 ${ms(f.p50)}, p90 ${ms(f.p90)}; all healthy settled after ${ms(f.settledMs)}`);
  say(
    `  pending rows left: healthy ${f.healthyPending}; misbehaving hosts still retrying ${f.badPending}` +
      ` ${JSON.stringify(f.badPendingByMode)}; publication: ${f.publication}${f.timedOut ? ' (TIMED OUT waiting)' : ''}`,
  );
  say(`  429 hosts delivered after Retry-After: ${f.rate429Delivered}; followers removed by 410: ${f.goneFollowersEnded}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`# Herald delivery fault scripts, ${new Date().toISOString()}`);
  say(`command: npm run bench:faults -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  const commit = execFileSync('git', ['-C', root, 'describe', '--always', '--dirty']).toString().trim();
  say(`commit: ${commit}`);
  say(
    `machine: ${cpus().length} cores (nproc ${execFileSync('nproc').toString().trim()}), ${Math.round(totalmem() / 2 ** 30)} GB, ` +
      `Node ${process.version}, redis-server ${execFileSync('redis-server', ['--version']).toString().split(' ')[2].replace('v=', '')}, ` +
      `load average ${loadavg()[0].toFixed(1)} (shared machine)`,
  );
  say(
    `setup: ${N} followers, one per loopback host; ${BAD_PERCENT}% of hosts for each of 500 / 429+Retry-After:2 (first try) / 410 / hang ` +
      `(${modes.filter((m) => m !== 'healthy').length} misbehaving, ${modes.filter((m) => m === 'healthy').length} healthy); ` +
      `Herald web + worker processes, ${Object.entries(DELIVERY_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
  );
  for (let i = 0; i < N; i += 1) hostIndex.set(hostAddress(i), i);

  dataDir = await mkdtemp(join(tmpdir(), 'herald-faults-'));
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  dbCreated = true;
  await admin.end();
  db = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:5432/${DB_NAME}`, max: 2, application_name: 'faults-bench' });
  db.on('error', () => undefined);

  redisPort = await freePort();
  await startRedis();
  heraldPort = await freePort();
  heraldUrl = `http://127.0.0.1:${heraldPort}`;

  const web = startHeraldProcess('web');
  await waitForWeb(web);
  const cli = spawn(process.execPath, [join(root, 'dist/src/cli.js'), 'create-admin', '--email', ADMIN.email], {
    env: { ...heraldEnv('web'), HERALD_ADMIN_PASSWORD: ADMIN.password },
    stdio: 'ignore',
  });
  const [code] = await once(cli, 'exit');
  if (code !== 0) throw new Error(`create-admin exited with ${code}`);
  token = (await api<{ token: string }>('POST', '/api/auth/login', ADMIN)).token;
  const profile = await api<{ id: string }>('POST', '/api/profiles', {
    handle: 'bench',
    domain: 'bench.example.org',
    displayName: 'Fault bench',
    protocols: ['activitypub'],
  });
  await startWorker();

  farm = fork(join(here, 'support/follower-farm.js'), [String(N), String(BAD_PERCENT)]);
  children.add(farm);
  await once(farm, 'message');
  const actor = `${heraldUrl}/@bench`;
  const followStart = Date.now();
  const followed = await ask({ type: 'follow', target: actor, inbox: `${actor}/inbox`, concurrency: 6 }, 'followed');
  // Herald stores followers as its worker handles the Follows; wait for all of them (and their Accepts).
  const followDeadline = Date.now() + 600_000;
  let active = 0;
  while (Date.now() < followDeadline) {
    active = (await activeFollowerHosts()).size;
    const { rows } = await db!.query<{ n: string }>(`SELECT count(*) AS n FROM ap_delivery WHERE state = 'pending'`);
    if (active >= N - followed.failed && Number(rows[0].n) === 0) break;
    await sleep(1000);
  }
  say(
    `followers: ${followed.sent} signed Follows sent (HTTP ${JSON.stringify(followed.statuses)}), ${active} active followers after ` +
      `${((Date.now() - followStart) / 1000).toFixed(1)} s`,
  );
  if (active < N * 0.99) throw new Error(`only ${active} of ${N} follows were accepted`);
  say();

  const results: Figures[] = [];
  const run = async (name: string, fault: Fault | null) => {
    const figures = await scenario(name, profile.id, fault);
    report(figures);
    results.push(figures);
    return figures;
  };
  // A first post warms Herald up (connections, caches, JIT) so the baseline is not a cold start.
  const warm = await scenario('warm-up', profile.id, null);
  say(
    `warm-up post (not counted): ${warm.healthyDelivered}/${warm.healthyExpected} healthy inboxes, p90 ${((warm.p90 ?? 0) / 1000).toFixed(2)} s`,
  );
  const baseline = await run('1 baseline: all hosts healthy', null);
  farm.send({ type: 'misbehave', on: true } satisfies FarmRequest);
  const faulty = await run('2 misbehaving hosts: 500 / 429 / 410 / hang', null);
  if (FAULTS.has('3')) await run('3 worker SIGKILL mid-fan-out', killWorker);
  if (FAULTS.has('4a')) await run('4a Redis FLUSHALL mid-fan-out', flushRedis);
  if (FAULTS.has('4b')) await run('4b redis-server kill -9 and restart without data mid-fan-out', crashRedis);
  if (FAULTS.has('5')) await run('5 PostgreSQL connections terminated mid-fan-out', terminatePg);

  say();
  say('## goals');
  const goal = (ok: boolean, text: string) => say(`  ${ok ? 'PASS' : 'FAIL'}  ${text}`);
  const lost = results.map((r) => r.healthyLost);
  goal(
    lost.every((x) => x === 0),
    `0 healthy inboxes lost in every scenario (${lost.join(', ')})`,
  );
  goal(
    results.every((r) => r.duplicatePct <= 1),
    `duplicates ≤ 1% of deliveries (${results.map((r) => `${r.duplicatePct.toFixed(2)}%`).join(', ')})`,
  );
  const ratio = baseline.p90 && faulty.p90 ? faulty.p90 / baseline.p90 : Infinity;
  goal(
    ratio <= 1.5,
    `p90 to healthy inboxes with misbehaving (incl. ${BAD_PERCENT}% hanging) hosts within 1.5× baseline ` +
      `(${((faulty.p90 ?? 0) / 1000).toFixed(2)} s vs ${((baseline.p90 ?? 0) / 1000).toFixed(2)} s: ${ratio.toFixed(2)}×)`,
  );
  const goneOk = results.slice(1).every((r) => r.goneFollowersEnded.split('/')[0] === r.goneFollowersEnded.split('/')[1]);
  goal(goneOk, `followers behind a 410 removed (${faulty.goneFollowersEnded} after scenario 2)`);
  goal(
    results.every((r) => r.healthyPending === 0 && !r.timedOut && r.publication === 'published'),
    `nothing pending after recovery without manual steps (healthy pending rows: ${results.map((r) => r.healthyPending).join(', ')}; ` +
      `publications: ${results.map((r) => r.publication).join(', ')}); rows of misbehaving hosts still retrying: ` +
      results.map((r) => r.badPending).join(', '),
  );
  say(`total ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadavg()[0].toFixed(1)}`);
}

let failed = false;
const outFile = resolve(root, args.out || `bench/results/delivery-faults-${new Date().toISOString().slice(0, 10)}-n${N}.txt`);
async function writeOut(): Promise<void> {
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, `${lines.join('\n')}\n`);
  console.log(`written to ${outFile}`);
}
const stop = () => {
  failed = true;
  say('STOPPED by a signal before the end');
  void cleanup()
    .then(writeOut)
    .finally(() => process.exit(130));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
try {
  await main();
} catch (error) {
  failed = true;
  say(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (dataDir)
    for (const name of ['web-1.log', 'worker-2.log'])
      say(
        `--- tail of ${name}\n${(await readFile(join(dataDir, name), 'utf8').catch(() => ''))
          .split('\n')
          .filter((line) => !line.includes('Context-local storage'))
          .slice(-20)
          .join('\n')}`,
      );
} finally {
  await db?.end().catch(() => undefined);
  await cleanup();
}
await writeOut();
process.exit(failed ? 1 : 0);
