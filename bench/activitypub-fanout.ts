// Fans one Create(Note) out to N distinct shared inboxes through Fedify + the BullMQ MessageQueue
// (libs/fedify-bullmq), against a local receiver process, and compares the wall time with the
// signing floor: N RSA-2048 signatures with node:crypto on the same machine, measured in the same run.
// Usage: npm run bench:fanout -- 1000 10000   (talks only to 127.0.0.1; stops by itself)
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from '@fedify/fedify';
import { Create, Note, Person, PUBLIC_COLLECTION, type Recipient } from '@fedify/vocab';
import { fork } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { BullMqMessageQueue } from '../libs/fedify-bullmq/index.js';

const REDIS = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const TIMEOUT_MS = 15 * 60_000;
const CONCURRENCY = 64;

interface Result {
  n: number;
  wallMs: number;
  deliveriesPerSecond: number;
  peakRssMb: number;
  floorMs: number;
  ratioToFloor: number;
  requests: number;
}

function signingFloorMs(n: number): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const payload = Buffer.from(
    `(request-target): post /s/1/inbox\nhost: 127.0.0.1\ndate: ${new Date().toUTCString()}\ndigest: SHA-256=${'x'.repeat(44)}`,
  );
  const started = performance.now();
  for (let i = 0; i < n; i += 1) sign('sha256', payload, privateKey);
  return performance.now() - started;
}

async function run(n: number): Promise<Result> {
  const receiver = fork(fileURLToPath(new URL('./fanout-receiver.js', import.meta.url)), [String(n)]);
  const port = await new Promise<number>((resolve) => receiver.once('message', (message: { port: number }) => resolve(message.port)));
  const done = new Promise<{ requests: number; unsigned: number }>((resolve) =>
    receiver.on('message', (message: { type: string; requests: number; unsigned: number }) => message.type === 'done' && resolve(message)),
  );
  const prefix = `bench-fanout-${process.pid}-${n}`;
  const queue = new BullMqMessageQueue({ queueName: 'fedify', connection: REDIS, prefix, concurrency: CONCURRENCY, keepFinished: 0 });
  const origin = 'http://127.0.0.1:9';
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    queue,
    manuallyStartQueue: true,
    origin,
    allowPrivateAddress: true,
  });
  const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
  federation
    .setActorDispatcher(
      '/users/{identifier}',
      async (ctx, identifier) =>
        new Person({ id: ctx.getActorUri(identifier), preferredUsername: identifier, inbox: ctx.getInboxUri(identifier) }),
    )
    .setKeyPairsDispatcher(() => keys);
  federation.setInboxListeners('/users/{identifier}/inbox', '/inbox');

  const recipients: Recipient[] = Array.from({ length: n }, (_, i) => ({
    id: new URL(`http://127.0.0.1:${port}/u/${i}`),
    inboxId: new URL(`http://127.0.0.1:${port}/u/${i}/inbox`),
    endpoints: { sharedInbox: new URL(`http://127.0.0.1:${port}/s/${i}/inbox`) },
  }));
  const ctx = federation.createContext(new URL(origin), undefined);
  const actor = ctx.getActorUri('bench');
  const note = new Note({
    id: new URL(`${origin}/notes/1`),
    attribution: actor,
    to: PUBLIC_COLLECTION,
    content: '<p>Fan-out benchmark</p>',
  });
  const create = new Create({ id: new URL(`${origin}/notes/1#create`), actor, object: note, to: PUBLIC_COLLECTION });

  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const listening = federation.startQueue(undefined, { signal: stop.signal });
  await ctx.sendActivity({ identifier: 'bench' }, recipients, create, { preferSharedInbox: true });
  const outcome = await Promise.race([
    done,
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), TIMEOUT_MS);
    }),
  ]);
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  stop.abort();
  await listening;
  await queue.close();
  receiver.send({ type: 'stop' });
  await dropPrefix(prefix);
  if (!outcome) throw new Error(`N=${n}: not every inbox got the post within ${TIMEOUT_MS / 1000} s`);
  if (outcome.unsigned > 0) throw new Error(`N=${n}: ${outcome.unsigned} deliveries were unsigned`);
  const floorMs = signingFloorMs(n);
  return {
    n,
    wallMs: Math.round(wallMs),
    deliveriesPerSecond: Math.round((n / wallMs) * 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    floorMs: Math.round(floorMs),
    ratioToFloor: Number((wallMs / floorMs).toFixed(2)),
    requests: outcome.requests,
  };
}

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0 && n <= 100_000);
console.log(`fan-out benchmark: Node ${process.version}, ${cpus().length} cores, BullMQ concurrency ${CONCURRENCY}`);
for (const n of sizes.length > 0 ? sizes : [1000, 10_000]) {
  const result = await run(n);
  console.log(
    `N=${result.n}: wall ${result.wallMs} ms, ${result.deliveriesPerSecond} deliveries/s, peak RSS ${result.peakRssMb} MB, ` +
      `signing floor ${result.floorMs} ms (N RSA-2048 signatures), ratio ${result.ratioToFloor}x, requests ${result.requests}`,
  );
}
process.exit(0);
