// Fan-out of one Create(Note) to N shared inboxes, each on its own loopback host (bench/support/follower-farm.ts),
// by three senders measured in the same run against the same receiver:
//   (a) a plain loop: node:crypto draft-cavage signature (reused KeyObject) + fetch POST, 32 in flight;
//       with Herald's actor key size, and with RSA-2048 for reference when that differs;
//   (b) bare Fedify 2.3.6: sendActivity with a ParallelMessageQueue(InProcessMessageQueue, 32) and a MemoryKvStore;
//   (c) Herald: an API post → its worker's durable fan-out → all N inboxes received (web + worker processes,
//       own database and redis-server); every ap_delivery row must end `delivered`.
// (a) and (b) run in child processes of their own, so CPU and peak RSS are theirs alone. CPU of (c) is its web and
// worker processes, and separately its PostgreSQL backends and redis-server. Followers of (c) are inserted into
// the follower table in one statement (the path under test is the fan-out; inbound Follows are bench:inbound's).
// Usage: npm run bench:fanout -- [--followers 1000] [--out bench/results/file.txt]   (talks only to loopback)
import { type ChildProcess, fork } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { digestOf, signedHeaders } from './support/draft-cavage.js';
import { askFarm, type FarmMessage, type FarmRequest, hostAddress } from './support/farm-hosts.js';
import { commit, machine, sleep, startHeraldStack, writeResults } from './support/herald-stack.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const IN_FLIGHT = 32;
const AP = 'application/activity+json';

interface PhaseResult {
  cpuMs: number;
  peakRssMb: number;
}

// ---------- child phases: (a) and (b) ----------
type ChildStart = { phase: 'plain' | 'fedify'; bits: number; port: number; n: number; suffix: string };

async function childMain(): Promise<void> {
  const start = await new Promise<ChildStart>((done) => process.once('message', done as (m: unknown) => void));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: start.bits });
  const origin = 'http://127.0.0.1:9';
  // Set-up (module loading, key import, the federation object) is not part of the fan-out.
  const send = start.phase === 'plain' ? () => plainLoop(start, privateKey, origin) : await bareFedify(start, privateKey, origin);
  const cpu0 = process.cpuUsage();
  process.send!({ type: 'started', at: Date.now() });
  const finished = new Promise<void>((done) => process.once('message', () => done()));
  await send();
  await finished;
  const used = process.cpuUsage(cpu0);
  process.send!({ cpuMs: (used.user + used.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 } satisfies PhaseResult);
  process.exit(0);
}

function activityJson(origin: string, suffix: string): string {
  const actor = `${origin}/users/bench`;
  return JSON.stringify({
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: `${origin}/notes/${suffix}#create`,
    type: 'Create',
    actor,
    to: 'https://www.w3.org/ns/activitystreams#Public',
    object: {
      id: `${origin}/notes/${suffix}`,
      type: 'Note',
      attributedTo: actor,
      to: 'https://www.w3.org/ns/activitystreams#Public',
      content: '<p>Fan-out benchmark</p>',
    },
  });
}

/** What a minimal sender does: sign draft-cavage with a KeyObject made once, POST, 32 requests in flight. */
async function plainLoop(start: ChildStart, privateKey: KeyObject, origin: string): Promise<void> {
  const body = activityJson(origin, start.suffix);
  const digest = digestOf(body);
  const keyId = `${origin}/users/bench#main-key`;
  let next = 0;
  const lane = async () => {
    while (next < start.n) {
      const i = next++;
      const url = new URL(`http://${hostAddress(i)}:${start.port}/s/${i}/inbox`);
      const response = await fetch(url, {
        method: 'POST',
        headers: signedHeaders(privateKey, keyId, url, body, digest),
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.body?.cancel();
      if (response.status !== 202) throw new Error(`plain loop: HTTP ${response.status} from ${url}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

/** Fedify's own path: sendActivity to N recipients, delivered by its in-process queue, 32 at a time. */
async function bareFedify(start: ChildStart, privateKey: KeyObject, origin: string): Promise<() => Promise<void>> {
  const { createFederation, generateCryptoKeyPair, InProcessMessageQueue, MemoryKvStore, ParallelMessageQueue } =
    await import('@fedify/fedify');
  const { Create, Note, Person, PUBLIC_COLLECTION } = await import('@fedify/vocab');
  const subtle = globalThis.crypto.subtle;
  const rsa = {
    privateKey: await subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), RSA_ALGORITHM, true, ['sign']),
    publicKey: await subtle.importKey('spki', createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), RSA_ALGORITHM, true, [
      'verify',
    ]),
  };
  const keys = [rsa, await generateCryptoKeyPair('Ed25519')];
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    queue: new ParallelMessageQueue(new InProcessMessageQueue(), IN_FLIGHT),
    origin,
    allowPrivateAddress: true,
  });
  federation
    .setActorDispatcher(
      '/users/{identifier}',
      async (ctx, identifier) =>
        new Person({ id: ctx.getActorUri(identifier), preferredUsername: identifier, inbox: ctx.getInboxUri(identifier) }),
    )
    .setKeyPairsDispatcher(() => keys);
  federation.setInboxListeners('/users/{identifier}/inbox', '/inbox');
  const ctx = federation.createContext(new URL(origin), undefined);
  const actor = ctx.getActorUri('bench');
  const recipients = Array.from({ length: start.n }, (_, i) => ({
    id: new URL(`http://${hostAddress(i)}:${start.port}/u/${i}`),
    inboxId: new URL(`http://${hostAddress(i)}:${start.port}/u/${i}/inbox`),
    endpoints: { sharedInbox: new URL(`http://${hostAddress(i)}:${start.port}/s/${i}/inbox`) },
  }));
  const note = new Note({
    id: new URL(`${origin}/notes/${start.suffix}`),
    attribution: actor,
    to: PUBLIC_COLLECTION,
    content: '<p>Fan-out benchmark</p>',
  });
  const create = new Create({ id: new URL(`${origin}/notes/${start.suffix}#create`), actor, object: note, to: PUBLIC_COLLECTION });
  return () => ctx.sendActivity({ identifier: 'bench' }, recipients, create, { preferSharedInbox: true });
}

const RSA_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

// ---------- the parent ----------
const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

let farm: ChildProcess;
const ask = <T extends FarmMessage['type']>(
  request: FarmRequest | null,
  answer: T,
  test?: (message: Extract<FarmMessage, { type: T }>) => boolean,
) => askFarm(farm, request, answer, test);

function arrival(suffix: string, count: number) {
  const arrived = ask(null, 'arrived', (m) => m.objectSuffix === suffix);
  farm.send({ type: 'await', objectSuffix: suffix, count } satisfies FarmRequest);
  return arrived;
}

/** One signature with a reused KeyObject, averaged over 300, for reference. */
function signatureMs(bits: number): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const payload = Buffer.from(`(request-target): post /s/1/inbox\nhost: 127.0.0.1\ndate: ${new Date().toUTCString()}\ndigest: SHA-256=x`);
  for (let i = 0; i < 20; i += 1) sign('sha256', payload, privateKey);
  const cpu = process.cpuUsage();
  for (let i = 0; i < 300; i += 1) sign('sha256', payload, privateKey);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / 300;
}

interface Figures {
  label: string;
  n: number;
  wallMs: number;
  cpuMs: number;
  extraCpuMs?: number;
  peakRssMb: number;
  note?: string;
}

async function childPhase(phase: 'plain' | 'fedify', bits: number, port: number, n: number, label: string): Promise<Figures> {
  const suffix = `${phase}-${bits}-${Date.now()}`;
  const child = fork(fileURLToPath(import.meta.url), ['--child'], { stdio: 'inherit' });
  const messages: unknown[] = [];
  const next = () =>
    new Promise<unknown>((done, fail) => {
      if (messages.length) return done(messages.shift());
      const onMessage = () => {
        child.off('exit', onExit);
        done(messages.shift());
      };
      const onExit = (code: number) => {
        child.off('message', onMessage);
        fail(new Error(`${label}: child exited with ${code}`));
      };
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  child.on('message', (m) => messages.push(m));
  const arrived = arrival(suffix, n);
  child.send({ phase, bits, port, n, suffix } satisfies ChildStart);
  const { at } = (await next()) as { at: number };
  const done = await arrived;
  child.send({ type: 'done' });
  const result = (await next()) as PhaseResult;
  await once(child, 'exit');
  if (done.unsigned > 0) throw new Error(`${label}: ${done.unsigned} unsigned deliveries`);
  return { label, n, wallMs: done.at - at, cpuMs: result.cpuMs, peakRssMb: Math.round(result.peakRssMb) };
}

async function heraldPhase(n: number, port: number): Promise<{ figures: Figures; bits: number; stop: () => Promise<void> }> {
  const stack = await startHeraldStack(root, { name: 'fanout' });
  try {
    // Fetching the actor makes Herald generate its keys; the served key says their size.
    const actorUrl = `${stack.url}/@${stack.handle}`;
    const actor = (await (await fetch(actorUrl, { headers: { accept: AP } })).json()) as { publicKey: { publicKeyPem: string } };
    const bits = createPublicKey(actor.publicKey.publicKeyPem).asymmetricKeyDetails?.modulusLength ?? 0;
    const origin = (i: number) => `http://${hostAddress(i)}:${port}`;
    await stack.db.query(
      `INSERT INTO follower (profile_id, protocol, remote_actor_id, handle, inbox_url, shared_inbox_url, domain, follow_id)
       SELECT $1, 'activitypub', o || '/u/' || i, 'f' || i || '@' || h, o || '/u/' || i || '/inbox', o || '/s/' || i || '/inbox', h, o || '/follows/' || i
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(o, h, ord), LATERAL (SELECT ord - 1 AS i) AS x`,
      [stack.profileId, Array.from({ length: n }, (_, i) => origin(i)), Array.from({ length: n }, (_, i) => `${hostAddress(i)}:${port}`)],
    );
    await stack.settled();
    const rss = stack.watchRss();
    const cpu0 = await stack.cpu();
    const started = Date.now();
    const post = await stack.api<{ id: string }>('POST', `/api/profiles/${stack.profileId}/posts`, {
      kind: 'note',
      text: 'Fan-out benchmark',
      language: 'en',
      status: 'published',
    });
    const done = await arrival(`/posts/${post.id}`, n);
    const wallMs = done.at - started;
    // Every outcome is in PostgreSQL before the run counts as done (written in batches just after the POSTs).
    const deadline = Date.now() + 60_000;
    let delivered = 0;
    while (Date.now() < deadline) {
      const { rows } = await stack.db.query<{ n: string }>(`SELECT count(*) AS n FROM ap_delivery WHERE state = 'delivered'`);
      delivered = Number(rows[0].n);
      if (delivered >= n) break;
      await sleep(100);
    }
    const cpu1 = await stack.cpu();
    const peak = rss();
    if (delivered < n) throw new Error(`Herald: only ${delivered} of ${n} ap_delivery rows are delivered`);
    if (done.unsigned > 0) throw new Error(`Herald: ${done.unsigned} unsigned deliveries`);
    const node = cpu1.web - cpu0.web + cpu1.worker - cpu0.worker;
    const extra = cpu1.postgres - cpu0.postgres + cpu1.redis - cpu0.redis;
    return {
      figures: {
        label: `(c) Herald, RSA-${bits}`,
        n,
        wallMs,
        cpuMs: node,
        extraCpuMs: extra,
        peakRssMb: peak.worker,
        note:
          `web ${Math.round(cpu1.web - cpu0.web)} ms + worker ${Math.round(cpu1.worker - cpu0.worker)} ms CPU; ` +
          `PostgreSQL backends ${Math.round(cpu1.postgres - cpu0.postgres)} ms, redis-server ${Math.round(cpu1.redis - cpu0.redis)} ms; ` +
          `peak RSS web ${peak.web} MB, worker ${peak.worker} MB; ${delivered} ap_delivery rows delivered`,
      },
      bits,
      stop: stack.stop,
    };
  } catch (error) {
    say(`--- worker log\n${await stack.logTail('worker')}`);
    await stack.stop();
    throw error;
  }
}

function show(f: Figures): void {
  const perDelivery = f.cpuMs / f.n;
  say(
    `${f.label.padEnd(34)} wall ${(f.wallMs / 1000).toFixed(2).padStart(7)} s  ${String(Math.round((f.n / f.wallMs) * 1000)).padStart(5)} deliveries/s  ` +
      `CPU ${perDelivery.toFixed(2).padStart(5)} ms/delivery` +
      (f.extraCpuMs !== undefined ? ` (+${(f.extraCpuMs / f.n).toFixed(2)} PostgreSQL+Redis)` : '') +
      `  peak RSS ${f.peakRssMb} MB`,
  );
  if (f.note) say(`${' '.repeat(36)}${f.note}`);
}

async function parentMain(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      followers: { type: 'string', default: '1000' },
      out: { type: 'string', default: '' },
      // For iterating on Herald alone: no (a)/(b), no ratios.
      'herald-only': { type: 'boolean', default: false },
    },
  });
  const n = Number(args.followers);
  if (!Number.isInteger(n) || n < 10 || n > 60_000) throw new Error('--followers must be an integer from 10 to 60000');
  say(`# ActivityPub fan-out benchmark, ${new Date().toISOString()}`);
  say(`command: npm run bench:fanout -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  say(`commit: ${commit(root)}`);
  say(`machine: ${machine()}`);
  say(`setup: one Create(Note) to ${n} shared inboxes, each on its own loopback host, one receiver process (follower farm)`);

  farm = fork(resolve(here, 'support/follower-farm.js'), [String(n), '0']);
  let stopHerald: (() => Promise<void>) | null = null;
  try {
    const [{ port }] = (await once(farm, 'message')) as [{ port: number }];
    // Herald first: its actor key's size is the size the baselines sign with.
    const herald = await heraldPhase(n, port);
    stopHerald = herald.stop;
    const bits = herald.bits;
    say(`Herald's actor key: RSA-${bits}`);
    say(
      `one signature (node:crypto, reused KeyObject, CPU): RSA-2048 ${signatureMs(2048).toFixed(2)} ms, RSA-4096 ${signatureMs(4096).toFixed(2)} ms`,
    );
    say();
    if (args['herald-only']) {
      show(herald.figures);
      return;
    }
    const plain = await childPhase('plain', bits, port, n, `(a) plain loop, RSA-${bits}`);
    show(plain);
    if (bits !== 2048) show(await childPhase('plain', 2048, port, n, `(a') plain loop, RSA-2048 (reference)`));
    const fedify = await childPhase('fedify', bits, port, n, `(b) bare Fedify 2.3.6, RSA-${bits}`);
    show(fedify);
    show(herald.figures);
    say();
    const cpu = (f: Figures) => f.cpuMs / f.n;
    const c = herald.figures;
    say(
      `ratios (c)/(a): CPU per delivery ${(cpu(c) / cpu(plain)).toFixed(2)}x (with PostgreSQL+Redis ${((cpu(c) + c.extraCpuMs! / n) / cpu(plain)).toFixed(2)}x), ` +
        `wall ${(c.wallMs / plain.wallMs).toFixed(2)}x`,
    );
    say(
      `ratios (c)/(b): CPU per delivery ${(cpu(c) / cpu(fedify)).toFixed(2)}x (with PostgreSQL+Redis ${((cpu(c) + c.extraCpuMs! / n) / cpu(fedify)).toFixed(2)}x), ` +
        `wall ${(c.wallMs / fedify.wallMs).toFixed(2)}x`,
    );
    say('(Herald ran first so its processes are idle during (a) and (b); its wall time starts at the API POST.)');
  } finally {
    farm.send({ type: 'stop' } satisfies FarmRequest);
    await stopHerald?.();
  }
  await writeResults(root, args.out, lines);
}

if (process.argv.includes('--child')) await childMain();
else {
  await parentMain().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
  process.exit();
}
