// Inbound ActivityPub load on a real Herald (web + worker processes, own database and redis-server): a load
// generator (the follower farm, bench/support/follower-farm.ts, in its own process) serves A actors, each on
// its own loopback host with a published RSA-2048 key, and POSTs signed draft-cavage requests to Herald's
// shared inbox: Create(Note) replies to one of Herald's posts and Likes of it, half each, `concurrency` in
// flight. Requests are signed before the clock starts, so the generator's own CPU stays out of the run.
// A warm-up round (one activity per actor: Herald fetches and caches each actor's key) is reported apart.
// Figures: accepted/s and POST p50/p99 (answers from the web process), stored/s and end-to-end p50/p99
// (from the POST to the interaction row's received_at), CPU per activity, peak RSS, and the exactly-once
// check counted from PostgreSQL: every accepted activity stored once, nothing else stored.
// Measured rounds: a burst (as fast as `concurrency` allows: the most the inbox accepts), then a steady load at
// each of `--rates` activities/s: POST latency at a given rate (at saturation, latency measures only the queue
// in front of the server), and what is stored end to end, and how long that takes, at a load Herald keeps up with.
// `--workers N` runs N worker processes (one per core is the deployment the issue names).
// Usage: npm run bench:inbound -- [--actors 500] [--activities 10000] [--rates 2000,1100] [--concurrency 64] [--workers 1]
//        [--out bench/results/file.txt]
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { askFarm, type FarmMessage, type FarmRequest } from './support/farm-hosts.js';
import { commit, type HeraldStack, machine, sleep, startHeraldStack, writeResults } from './support/herald-stack.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const { values: args } = parseArgs({
  options: {
    actors: { type: 'string', default: '500' },
    activities: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    rates: { type: 'string', default: '2000,1100' },
    workers: { type: 'string', default: '1' },
    out: { type: 'string', default: '' },
  },
});
const ACTORS = Number(args.actors);
const TOTAL = Number(args.activities);
const CONCURRENCY = Number(args.concurrency);
const RATES = args.rates.split(',').map(Number);
const WORKERS = Number(args.workers);
if (!Number.isInteger(ACTORS) || ACTORS < 1 || ACTORS > 60_000) throw new Error('--actors must be an integer from 1 to 60000');
if (!Number.isInteger(TOTAL) || TOTAL < 10 || TOTAL > 1_000_000) throw new Error('--activities must be an integer from 10 to 1000000');
if (!Number.isInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 1000) throw new Error('--concurrency must be from 1 to 1000');
if (!RATES.every((rate) => Number.isInteger(rate) && rate >= 1 && rate <= 100_000))
  throw new Error('--rates must be integers from 1 to 100000');
if (!Number.isInteger(WORKERS) || WORKERS < 1 || WORKERS > 8) throw new Error('--workers must be from 1 to 8');

const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

let farm: ChildProcess;
const ask = <T extends FarmMessage['type']>(request: FarmRequest, answer: T) => askFarm(farm, request, answer);

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function round(
  stack: HeraldStack,
  tag: string,
  total: number,
  post: { url: string },
  label: string,
  rate?: number,
): Promise<{ acceptedPerSecond: number; webCpuMs: number }> {
  const herald = `${stack.url}/@${stack.handle}`;
  const ready = ask(
    { type: 'blast', inbox: `${stack.url}/inbox`, herald, postUrl: post.url, total, concurrency: CONCURRENCY, tag, rate },
    'blast-ready',
  );
  const blasted = askFarm(farm, null, 'blasted');
  const { signMs } = await ready;
  const rss = stack.watchRss();
  const cpu0 = await stack.cpu();
  const result = await blasted;
  const accepted = result.sent.length;
  // Stored: wait for every accepted activity, or for 30 s without progress.
  let stored = 0;
  let lastChange = Date.now();
  const pattern = `%/${tag}/%`;
  for (;;) {
    const { rows } = await stack.db.query<{ n: string }>(`SELECT count(*) AS n FROM interaction WHERE remote_id LIKE $1`, [pattern]);
    const now = Number(rows[0].n);
    if (now !== stored) lastChange = Date.now();
    stored = now;
    if (stored >= accepted || Date.now() - lastChange > 30_000) break;
    await sleep(250);
  }
  const cpu1 = await stack.cpu();
  const peak = rss();
  const { rows } = await stack.db.query<{ remote_id: string; at: string }>(
    `SELECT remote_id, (extract(epoch FROM received_at) * 1000)::float8 AS at FROM interaction WHERE remote_id LIKE $1`,
    [pattern],
  );
  const storedAt = new Map<string, number>();
  let duplicates = 0;
  for (const row of rows) {
    if (storedAt.has(row.remote_id)) duplicates += 1;
    storedAt.set(row.remote_id, Number(row.at));
  }
  const acceptedIds = new Set(result.sent.map((item) => item.remoteId));
  const lost = result.sent.filter((item) => !storedAt.has(item.remoteId)).length;
  const unasked = [...storedAt.keys()].filter((id) => !acceptedIds.has(id)).length;
  const endToEnd = result.sent
    .filter((item) => storedAt.has(item.remoteId))
    .map((item) => storedAt.get(item.remoteId)! - item.at)
    .sort((a, b) => a - b);
  const latencies = [...result.latencies].sort((a, b) => a - b);
  const postWindow = result.endedAt - result.startedAt;
  const lastStored = Math.max(...storedAt.values());
  const storeWindow = lastStored - result.startedAt;
  say(
    `## ${label}: ${total} activities (${Math.ceil(total / 2)} Create(Note) replies, ${Math.floor(total / 2)} Likes), ` +
      `${rate ? `${rate}/s offered, at most ` : ''}${CONCURRENCY} in flight`,
  );
  say(
    `  load generator signed them in ${s(signMs)} before the clock started; sending them cost it ${(result.cpuMs / total).toFixed(2)} ms CPU per request`,
  );
  say(
    `  POST: ${accepted} accepted in ${s(postWindow)} = ${Math.round((accepted / postWindow) * 1000)} accepted/s; statuses ${JSON.stringify(result.statuses)}; ` +
      `latency p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms`,
  );
  say(
    `  stored: ${storedAt.size} in ${s(storeWindow)} from the first POST = ${Math.round((storedAt.size / storeWindow) * 1000)} stored/s; ` +
      `end to end (POST sent → row stored) p50 ${s(pct(endToEnd, 50))}, p99 ${s(pct(endToEnd, 99))}`,
  );
  const cpuNode = cpu1.web - cpu0.web + cpu1.worker - cpu0.worker;

  const cpuStore = cpu1.postgres - cpu0.postgres + cpu1.redis - cpu0.redis;
  say(
    `  CPU per activity: ${(cpuNode / total).toFixed(2)} ms Herald (web ${Math.round(cpu1.web - cpu0.web)} ms, ` +
      `${WORKERS === 1 ? 'worker' : `${WORKERS} workers`} ${Math.round(cpu1.worker - cpu0.worker)} ms) ` +
      `+ ${(cpuStore / total).toFixed(2)} ms PostgreSQL+Redis (PostgreSQL ${Math.round(cpu1.postgres - cpu0.postgres)} ms, redis-server ${Math.round(cpu1.redis - cpu0.redis)} ms)`,
  );
  say(`  peak RSS: web ${peak.web} MB, worker ${peak.worker} MB`);
  say(
    `  exactly once (counted in PostgreSQL): ${lost} accepted but not stored, ${duplicates} stored twice, ${unasked} stored without a 2xx answer ` +
      `=> ${lost === 0 && duplicates === 0 ? 'OK' : 'FAILED'}`,
  );
  return { acceptedPerSecond: (accepted / postWindow) * 1000, webCpuMs: (cpu1.web - cpu0.web) / total };
}

/** The same load against the bare node:http inbox (bench/support/bare-inbox.ts): the floor on this machine. */
async function baseline(total: number): Promise<{ perSecond: number; cpuMs: number }> {
  const bare = fork(resolve(here, 'support/bare-inbox.js'));
  try {
    const [{ port }] = (await once(bare, 'message')) as [{ port: number }];
    const usage = async () => {
      bare.send({ type: 'usage' });
      const [answer] = (await once(bare, 'message')) as [{ cpuMs: number; rssMb: number }];
      return answer;
    };
    const url = `http://127.0.0.1:${port}`;
    const ready = ask(
      {
        type: 'blast',
        inbox: `${url}/inbox`,
        herald: `${url}/@bare`,
        postUrl: `${url}/@bare/posts/1`,
        total,
        concurrency: CONCURRENCY,
        tag: `bare${Date.now()}`,
      },
      'blast-ready',
    );
    const blasted = askFarm(farm, null, 'blasted');
    await ready;
    const before = await usage();
    const result = await blasted;
    const after = await usage();
    const latencies = [...result.latencies].sort((a, b) => a - b);
    const perSecond = (result.sent.length / (result.endedAt - result.startedAt)) * 1000;
    const cpuMs = (after.cpuMs - before.cpuMs) / total;
    say(`## baseline: the same ${total} signed requests to a bare node:http inbox (read, JSON.parse, 202; no verification, no queue)`);
    say(
      `  POST: ${result.sent.length} accepted = ${Math.round(perSecond)} accepted/s; statuses ${JSON.stringify(result.statuses)}; ` +
        `latency p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms; CPU per request ${cpuMs.toFixed(2)} ms; RSS ${after.rssMb} MB; ` +
        `load generator ${(result.cpuMs / total).toFixed(2)} ms CPU per request`,
    );
    return { perSecond, cpuMs };
  } finally {
    bare.kill();
  }
}

async function main(): Promise<void> {
  say(`# ActivityPub inbound benchmark, ${new Date().toISOString()}`);
  say(`command: npm run bench:inbound -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  say(`commit: ${commit(root)}`);
  say(`machine: ${machine()}`);
  say(
    `setup: ${ACTORS} remote actors, each on its own loopback host, POSTing to Herald's shared inbox; Herald web + ${WORKERS} worker process${WORKERS === 1 ? '' : 'es'}`,
  );
  farm = fork(resolve(here, 'support/follower-farm.js'), [String(ACTORS), '0']);
  await once(farm, 'message');
  const stack = await startHeraldStack(root, { name: 'inbound', workers: WORKERS });
  try {
    const post = await stack.api<{ id: string }>('POST', `/api/profiles/${stack.profileId}/posts`, {
      kind: 'note',
      text: 'Inbound benchmark: reply to this',
      language: 'en',
      status: 'published',
    });
    const url = `${stack.url}/@${stack.handle}/posts/${post.id}`;
    const served = await fetch(url, { headers: { accept: 'application/activity+json' } });
    if (!served.ok) throw new Error(`the post is not served at ${url}: HTTP ${served.status}`);
    await stack.settled();
    await round(stack, `warm${Date.now()}`, ACTORS, { url }, 'warm-up (not counted)');
    const floor = await baseline(TOTAL);
    await stack.settled();
    const run = await round(stack, `run${Date.now()}`, TOTAL, { url }, 'burst');
    for (const rate of RATES) {
      await stack.settled();
      await round(stack, `steady${rate}x${Date.now()}`, TOTAL, { url }, `steady load`, rate);
    }
    say(
      `## ratios against the baseline: accepted/s ${(run.acceptedPerSecond / floor.perSecond).toFixed(2)}× the bare inbox's; ` +
        `web CPU per accepted activity ${(run.webCpuMs / floor.cpuMs).toFixed(2)}× its CPU per request`,
    );
  } catch (error) {
    say(`--- web log\n${await stack.logTail('web')}\n--- worker log\n${await stack.logTail('worker')}`);
    throw error;
  } finally {
    farm.send({ type: 'stop' } satisfies FarmRequest);
    await stack.stop();
  }
  await writeResults(root, args.out, lines);
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
process.exit();
