// Bluesky inbound latency: from a reply written on a real local AT Protocol network (@atproto/dev-env) to the
// interaction row in Herald's inbox, over N replies. Two Heralds run side by side on the same network, each with
// one post Alice answers at the same moment: one reads the firehose of Alice's PDS (ATPROTO_FIREHOSE_URL), the other
// only polls the AppView's notifications every ATPROTO_POLL_INTERVAL_SECONDS (the default, 60 s), the baseline.
// Replies are spread evenly over two poll intervals, so every phase of the poll's cycle is sampled.
// Clock: both ends are on this machine; a reply's time is when Alice's PDS answered its createRecord.
// Herald runs as its own processes (dist/src/main.js), as in production.
// Usage: npm run bench:bsky-inbound -- 30   (talks only to localhost; stops by itself)
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BlueskyNetwork } from '../test/support/bluesky-network.js';
import { createTestDatabase, type TestDatabase } from '../test/support/test-database.js';
import { deleteRedisPrefix, TEST_REDIS_URL, testRedisPrefix } from '../test/support/test-redis.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const PASSWORD = 'bench password that is long enough';
const POLL_SECONDS = 60;
const ARRIVAL_WITHIN_MS = 3 * POLL_SECONDS * 1000;

interface Ref {
  uri: string;
  cid: string;
}

/** A Herald as its own process (dist/src/main.js), as in production, with its database and the admin's token. */
interface Hub {
  url: string;
  token: string;
  db: pg.Client;
  process: ChildProcess;
  database: TestDatabase;
  dataDir: string;
  prefix: string;
}

const n = Number(process.argv[2] ?? 30);
if (!Number.isInteger(n) || n < 2) throw new Error('usage: atproto-inbound-latency <replies, at least 2>');

const network = await BlueskyNetwork.start('benchin');
const hubs: Hub[] = [];
try {
  const firehose = await startHub('benchinfh', { ATPROTO_FIREHOSE_URL: network.network.pds.url.replace(/^http/, 'ws') });
  hubs.push(firehose);
  const poll = await startHub('benchinpoll', {});
  hubs.push(poll);
  // The AppView must index the polling hub's post to notify it of replies; the firehose needs nothing of it.
  network.index({ url: poll.url, domains: ['poll.example.org'] });
  const alice = await network.createUser('alice');
  const [firehosePost, pollPost] = [await publish(firehose, 'firehose.example.org'), await publish(poll, 'poll.example.org')];
  await network.settle();

  // Warm-up on both paths (first sessions, first AppView lookups), not counted.
  await alice.agent.post({ text: 'warm-up', reply: { root: firehosePost, parent: firehosePost } });
  await alice.agent.post({ text: 'warm-up', reply: { root: pollPost, parent: pollPost } });
  await until(async () => (await received(firehose)).length === 1 && (await received(poll)).length === 1, ARRIVAL_WITHIN_MS);

  const spacingMs = (2 * POLL_SECONDS * 1000) / n;
  const written: Array<{ firehose: { uri: string; at: number }; poll: { uri: string; at: number } }> = [];
  for (let i = 0; i < n; i += 1) {
    const text = `Reply ${i + 1} of ${n}`;
    const [viaFirehose, viaPoll] = await Promise.all([
      alice.agent.post({ text, reply: { root: firehosePost, parent: firehosePost } }).then(({ uri }) => ({ uri, at: Date.now() })),
      alice.agent.post({ text, reply: { root: pollPost, parent: pollPost } }).then(({ uri }) => ({ uri, at: Date.now() })),
    ]);
    written.push({ firehose: viaFirehose, poll: viaPoll });
    await new Promise((done) => setTimeout(done, spacingMs));
  }
  const arrived = async (hub: Hub, side: 'firehose' | 'poll') => {
    const rows = await until(async () => {
      const found = await received(hub);
      return found.length === n + 1 && found;
    }, ARRIVAL_WITHIN_MS);
    const at = new Map(rows.map((row) => [row.remote_id, new Date(row.received_at).getTime()]));
    return written.map((sample) => at.get(sample[side].uri)! - sample[side].at);
  };
  const firehoseMs = await arrived(firehose, 'firehose');
  const pollMs = await arrived(poll, 'poll');
  console.log(
    JSON.stringify(
      {
        replies: n,
        pollIntervalSeconds: POLL_SECONDS,
        firehoseMs: summary(firehoseMs),
        pollMs: summary(pollMs),
        ratioOfMedians: round(percentile(pollMs, 0.5) / percentile(firehoseMs, 0.5)),
      },
      null,
      2,
    ),
  );
} finally {
  for (const hub of hubs) await stopHub(hub);
  await network.close();
}

async function startHub(label: string, extra: Record<string, string>): Promise<Hub> {
  const database = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), `herald-${label}-`));
  const prefix = testRedisPrefix(label);
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
    ATPROTO_POLL_INTERVAL_SECONDS: String(POLL_SECONDS),
    ...network.heraldEnv(),
    ...extra,
  };
  // Not spawnSync: this process hosts the network's PDS, which must keep answering meanwhile.
  const created = spawn(process.execPath, ['dist/src/cli.js', 'create-admin', '--email', 'bench@example.org'], { cwd: ROOT, env });
  const [status] = (await once(created, 'exit')) as [number | null];
  if (status !== 0) throw new Error(`create-admin failed with status ${String(status)}`);
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const hub: Hub = { url, token: '', db, process: child, database, dataDir, prefix };
  await until(async () => (await fetch(`${url}/health/ready`).catch(() => null))?.ok, 300_000);
  hub.token = (await api(hub, 'POST', '/api/auth/login', { email: 'bench@example.org', password: PASSWORD })).token as string;
  return hub;
}

async function stopHub(hub: Hub): Promise<void> {
  hub.process.kill('SIGTERM');
  if (hub.process.exitCode === null) await new Promise((done) => hub.process.once('exit', done));
  await hub.db.end();
  await hub.database.drop();
  await deleteRedisPrefix(hub.prefix);
  await rm(hub.dataDir, { recursive: true, force: true });
}

/** A profile on the hub with one published Bluesky post, which Alice will answer. */
async function publish(hub: Hub, domain: string): Promise<Ref> {
  const profile = await api(hub, 'POST', '/api/profiles', {
    handle: domain.split('.')[0],
    domain,
    displayName: domain,
    protocols: ['atproto'],
  });
  const post = await api(hub, 'POST', `/api/profiles/${String(profile.id)}/posts`, {
    kind: 'note',
    text: 'Tell us what you think.',
    status: 'published',
  });
  const { rows } = await until(async () => {
    const found = await hub.db.query(`SELECT state, remote_refs FROM publication WHERE post_id = $1 AND protocol = 'atproto'`, [post.id]);
    return found.rows[0]?.state === 'published' && found;
  }, 60_000);
  return (rows[0].remote_refs as { parts: Ref[] }).parts[0];
}

async function received(hub: Hub): Promise<Array<{ remote_id: string; received_at: Date }>> {
  return (await hub.db.query(`SELECT remote_id, received_at FROM interaction WHERE kind = 'reply'`)).rows;
}

async function api(hub: Hub, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(hub.token ? { authorization: `Bearer ${hub.token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

function summary(values: number[]) {
  return {
    p50: round(percentile(values, 0.5)),
    p90: round(percentile(values, 0.9)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
