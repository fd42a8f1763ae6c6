// Publish latency to Bluesky: from Herald's API call to the record visible in the AppView of a real
// local AT Protocol network (@atproto/dev-env), over N posts. Baseline, in the same run and interleaved
// post by post: the same text written straight to the network's own PDS by a plain @atproto/api
// client, until visible in the same AppView. Also reports the Herald process's RSS with its PDS.
// Herald runs as its own process (dist/src/main.js), as in production.
// Usage: npm run bench:atproto -- 50   (talks only to 127.0.0.1 / localhost; stops by itself)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlueskyNetwork, type BlueskyUser } from '../test/support/bluesky-network.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { deleteRedisPrefix, TEST_REDIS_URL, testRedisPrefix } from '../test/support/test-redis.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const DOMAIN = 'bench.example.org';
const PASSWORD = 'bench password that is long enough';
const VISIBLE_WITHIN_MS = 60_000;
const POLL_MS = 10;

interface Sample {
  herald: number;
  baseline: number;
}

const n = Number(process.argv[2] ?? 50);
if (!Number.isInteger(n) || n < 1) throw new Error('usage: atproto-publish-latency <posts>');

const network = await BlueskyNetwork.start('benchlat');
const database = await createTestDatabase('benchlat');
const dataDir = await mkdtemp(join(tmpdir(), 'herald-bench-'));
const prefix = testRedisPrefix('benchlat');
const port = await freePort();
const url = `http://localhost:${port}`;
const env = {
  ...process.env,
  NODE_ENV: 'production',
  HOST: 'localhost',
  PORT: String(port),
  PUBLIC_URL: url,
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  DATABASE_URL: database.url,
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: prefix,
  HERALD_ADMIN_PASSWORD: PASSWORD,
  ATPROTO_POLL_INTERVAL_SECONDS: '60',
  ...network.heraldEnv(),
};
let hub: ChildProcess | undefined;
try {
  const created = spawnSync(process.execPath, ['dist/src/cli.js', 'create-admin', '--email', 'bench@example.org'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`create-admin failed: ${created.stderr}`);
  hub = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  await until(async () => (await fetch(`${url}/health/ready`).catch(() => null))?.ok, 120_000, 'Herald did not become ready');
  network.index({ url, domains: [DOMAIN] });

  const token = (await api('POST', '/api/auth/login', undefined, { email: 'bench@example.org', password: PASSWORD })).token as string;
  const profile = await api('POST', '/api/profiles', token, {
    handle: 'bench',
    domain: DOMAIN,
    displayName: 'Bench',
    protocols: ['activitypub', 'atproto'],
  });
  const alice = await network.createUser('alice');
  const idleRssMb = await rssMb(hub.pid!);

  // Warm-up (account creation, first sessions, JIT) on both paths, not counted.
  await viaHerald(token, profile.id as string, 'warm-up');
  await viaBaseline(alice, 'warm-up');

  const samples: Sample[] = [];
  for (let i = 0; i < n; i += 1) {
    const text = `Latency sample ${i + 1} of ${n}: publish once, read on Bluesky.`;
    // Alternate which path goes first, so drift on a noisy machine falls on both.
    if (i % 2 === 0) samples.push({ herald: await viaHerald(token, profile.id as string, text), baseline: await viaBaseline(alice, text) });
    else {
      const baseline = await viaBaseline(alice, text);
      samples.push({ herald: await viaHerald(token, profile.id as string, text), baseline });
    }
  }
  const status = await readFile(`/proc/${hub.pid}/status`, 'utf8');
  const herald = samples.map((sample) => sample.herald);
  const baseline = samples.map((sample) => sample.baseline);
  console.log(
    JSON.stringify(
      {
        posts: n,
        heraldMs: summary(herald),
        baselineMs: summary(baseline),
        ratioOfMedians: round(median(herald) / median(baseline)),
        ratioOfP95: round(percentile(herald, 0.95) / percentile(baseline, 0.95)),
        heraldRssMb: { idleWithPds: idleRssMb, afterRun: kb(status, 'VmRSS'), peak: kb(status, 'VmHWM') },
      },
      null,
      2,
    ),
  );
} finally {
  hub?.kill('SIGTERM');
  if (hub && hub.exitCode === null) await new Promise((done) => hub!.once('exit', done));
  await network.close();
  await database.drop();
  await deleteRedisPrefix(prefix);
  await rm(dataDir, { recursive: true, force: true });
}

/** API call to Herald → the first record of the post is in the AppView. */
async function viaHerald(token: string, profileId: string, text: string): Promise<number> {
  const started = performance.now();
  const post = await api('POST', `/api/profiles/${profileId}/posts`, token, { kind: 'note', text, status: 'published' });
  const uri = await until(
    async () => {
      const current = await api('GET', `/api/posts/${String(post.id)}`, token);
      const publication = (
        current.publications as Array<{ protocol: string; state: string; remoteId: string | null; lastError: string | null }>
      ).find((p) => p.protocol === 'atproto');
      if (publication?.state === 'failed') throw new Error(`publication failed: ${publication.lastError}`);
      return publication?.state === 'published' ? publication.remoteId : null;
    },
    VISIBLE_WITHIN_MS,
    'Herald did not publish',
  );
  await visible(uri!);
  return performance.now() - started;
}

/** A plain client writes to the network's PDS → the record is in the AppView. */
async function viaBaseline(user: BlueskyUser, text: string): Promise<number> {
  const started = performance.now();
  const { uri } = await user.agent.post({ text });
  await visible(uri);
  return performance.now() - started;
}

async function visible(uri: string): Promise<void> {
  await until(
    async () => (await network.appView.app.bsky.feed.getPosts({ uris: [uri] })).data.posts.length > 0,
    VISIBLE_WITHIN_MS,
    `${uri} never reached the AppView`,
  );
}

async function api(method: string, path: string, token?: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number, message: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

async function rssMb(pid: number): Promise<number> {
  return kb(await readFile(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
}

function kb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

function summary(values: number[]) {
  return {
    median: round(median(values)),
    p95: round(percentile(values, 0.95)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, 'localhost', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
