// Idle memory of Herald's processes against issue 16's goals: a hub (HERALD_ROLE=all, with the embedded PDS)
// under 300 MB RSS, a worker-only process under 200 MB; the web-only process is shown for reference.
// Two Heralds, each on its own database and redis-server (bench/support/herald-stack.ts): a hub, and a split
// install (web + worker). Two baselines run beside them in the same run: plain node, and a bare NestJS HTTP
// application (express, an empty module), both from the same node binary.
// RSS is read from /proc once the processes are done starting (under 40 ms of CPU a second), then every
// second for --idle seconds: V8 gives back what start-up left behind only after a while of quiet (its
// memory reducer), so both the first and the last figure are printed. Then a round of use (console and API
// docs pages, an image upload, a published post, the actor document) and the same idle wait again.
// Usage: npm run bench:memory -- [--idle 120] [--out bench/results/file.txt]   (talks only to loopback)
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commit, type HeraldStack, machine, rssMbOf, sleep, startHeraldStack, writeResults } from './support/herald-stack.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

const GOALS_MB: Record<string, number | undefined> = { hub: 300, worker: 200 };

/** A 1×1 PNG, for the upload (Herald decodes it with sharp). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const BASELINES = {
  'plain node': `setInterval(() => {}, 1 << 30);`,
  'bare NestJS HTTP app': [
    `import 'reflect-metadata';`,
    `const { NestFactory } = await import('@nestjs/core');`,
    `const { Module } = await import('@nestjs/common');`,
    `class Empty {}`,
    `Module({})(Empty);`,
    `const app = await NestFactory.create(Empty, { logger: false });`,
    `await app.listen(0, '127.0.0.1');`,
  ].join('\n'),
};

interface Watched {
  label: string;
  process: ChildProcess;
  /** RSS in MB at each checkpoint, by checkpoint name. */
  rss: Record<string, number>;
}

const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

function startBaseline(label: keyof typeof BASELINES): Watched {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BASELINES[label]], { cwd: root, stdio: 'ignore' });
  return { label, process: child, rss: {} };
}

/** Samples every second for `seconds`; the checkpoint's figure is the last sample, the curve is printed. */
async function idle(watched: Watched[], name: string, seconds: number): Promise<void> {
  const curves = new Map<Watched, number[]>(watched.map((w) => [w, []]));
  for (let s = 0; s <= seconds; s++) {
    for (const w of watched) curves.get(w)!.push(rssMbOf(w.process.pid));
    if (s < seconds) await sleep(1000);
  }
  say(`${name}: RSS (MB) every 15 s over ${seconds} s of idle`);
  for (const w of watched) {
    const curve = curves.get(w)!;
    if (curve.some((mb) => mb === 0)) throw new Error(`${w.label} exited`);
    w.rss[`${name} first`] = curve[0];
    w.rss[`${name} last`] = curve[curve.length - 1];
    say(
      `  ${w.label.padEnd(22)} ${curve
        .filter((_, i) => i % 15 === 0 || i === curve.length - 1)
        .map((mb) => Math.round(mb))
        .join(' ')}`,
    );
  }
}

/** What an operator and the network do on a quiet day: nothing here fans out to followers (there are none). */
async function use(stack: HeraldStack): Promise<void> {
  const get = async (path: string, accept = 'text/html') => {
    const response = await fetch(`${stack.url}${path}`, { headers: { accept }, signal: AbortSignal.timeout(60_000) });
    await response.arrayBuffer();
    if (response.status >= 400) throw new Error(`GET ${path}: HTTP ${response.status}`);
  };
  await get('/admin');
  await get('/api/docs');
  await get(`/@${stack.handle}`, 'application/activity+json');
  await get(`/@${stack.handle}`);
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
  form.append('altText', 'one pixel');
  const upload = await fetch(`${stack.url}/api/profiles/${stack.profileId}/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.token}` },
    body: form,
    signal: AbortSignal.timeout(60_000),
  });
  if (!upload.ok) throw new Error(`upload: HTTP ${upload.status} ${await upload.text()}`);
  const post = await stack.api<{ id: string }>('POST', `/api/profiles/${stack.profileId}/posts`, {
    kind: 'note',
    text: 'Memory benchmark',
    language: 'en',
    status: 'published',
  });
  // The worker (or the hub) has done the publication once its row says so.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await stack.db.query<{ state: string }>(`SELECT state FROM publication WHERE post_id = $1`, [post.id]);
    if (rows.length > 0 && rows.every((row) => row.state === 'published')) break;
    if (Date.now() > deadline) throw new Error(`the post's publication did not end published: ${JSON.stringify(rows)}`);
    await sleep(200);
  }
  await get(`/@${stack.handle}`);
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { idle: { type: 'string', default: '120' }, out: { type: 'string', default: '' } },
  });
  const idleSeconds = Number(args.idle);
  if (!Number.isInteger(idleSeconds) || idleSeconds < 5 || idleSeconds > 900) throw new Error('--idle must be an integer from 5 to 900');
  say(`# Memory benchmark, ${new Date().toISOString()}`);
  say(`command: npm run bench:memory -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  say(`commit: ${commit(root)}`);
  say(`machine: ${machine()}`);
  say(`setup: a hub (role all, embedded PDS) and a split install (web + worker), each with its own database and redis-server`);
  say();

  const stacks: HeraldStack[] = [];
  const baselines = [startBaseline('plain node'), startBaseline('bare NestJS HTTP app')];
  try {
    const started = await Promise.allSettled([
      startHeraldStack(root, { name: 'memory_hub', hub: true }),
      startHeraldStack(root, { name: 'memory_split' }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') stacks.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [hub, split] = stacks;
    const watched: Watched[] = [
      ...baselines,
      { label: 'hub (all + PDS)', process: hub.web, rss: {} },
      { label: 'web', process: split.web, rss: {} },
      { label: 'worker', process: split.workers[0], rss: {} },
    ];
    await Promise.all([hub.settled(), split.settled()]);
    await idle(watched, 'idle', idleSeconds);
    say();
    await Promise.all([use(hub), use(split)]);
    await Promise.all([hub.settled(), split.settled()]);
    await idle(watched, 'after use', idleSeconds);
    say();

    const nest = baselines[1];
    const checkpoints = ['idle first', 'idle last', 'after use first', 'after use last'];
    say(`RSS in MB; "first": as soon as start-up (or the round of use) is done, "last": after ${idleSeconds} s of idle`);
    say(`| process | ${checkpoints.join(' | ')} | goal | × bare NestJS (idle last) |`);
    say(`| --- | ${checkpoints.map(() => '---').join(' | ')} | --- | --- |`);
    for (const w of watched) {
      const key = w.label.startsWith('hub') ? 'hub' : w.label;
      const goal = GOALS_MB[key];
      const verdict = goal
        ? `< ${goal}: ${checkpoints.map((c) => (w.rss[c] < goal ? 'pass' : 'FAIL')).join('/')}`
        : baselines.includes(w)
          ? 'baseline'
          : '—';
      say(
        `| ${w.label} | ${checkpoints.map((c) => Math.round(w.rss[c])).join(' | ')} | ${verdict} | ${(w.rss['idle last'] / nest.rss['idle last']).toFixed(2)}× |`,
      );
    }
  } finally {
    for (const baseline of baselines) {
      baseline.process.kill('SIGTERM');
      if (baseline.process.exitCode === null) await once(baseline.process, 'exit');
    }
    await Promise.all(stacks.map((stack) => stack.stop()));
  }
  await writeResults(root, args.out, lines);
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
