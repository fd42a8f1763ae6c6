// A "follower farm" for the delivery fault scripts: N fediverse actors, each on its own host (a distinct
// loopback address 127.X.Y.Z; all of 127/8 is loopback on Linux), served by one HTTP server on 0.0.0.0.
// Each actor publishes its JSON (one shared RSA key, a key id per actor), follows a Herald profile with a
// real signed Follow (draft-cavage HTTP Signature + Digest, node:crypto), and records every POST its
// inboxes receive. Some hosts misbehave on everything but Accepts: 500 always, 429 + Retry-After (the
// first try of each activity), 410, or accepting the request and never answering.
// Run as a child process (fork); it speaks with the parent over IPC only.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { signedHeaders } from './draft-cavage.js';
import { type FarmMessage, type FarmRequest, hostAddress, type Mode, modeOf, type Receipt } from './farm-hosts.js';

const AP = 'application/activity+json';
const n = Number(process.argv[2]);
const badPercent = Number(process.argv[3]);
const modes: Mode[] = Array.from({ length: n }, (_, i) => modeOf(i, n, badPercent));
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const receipts: Receipt[] = [];
/** Activity ids each 429 host has already refused once. */
const limited = new Set<string>();
const hanging = new Set<ServerResponse>();
/** Waits asked for by the parent: told once `count` distinct actors got an activity whose object ends so. */
const waits = new Map<string, { count: number; actors: Set<number>; unsigned: number }>();
let misbehaving = false;
let port = 0;

const origin = (i: number) => `http://${hostAddress(i)}:${port}`;
const actorId = (i: number) => `${origin(i)}/u/${i}`;

function actor(i: number): Record<string, unknown> {
  const id = actorId(i);
  return {
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
    id,
    type: 'Person',
    preferredUsername: `f${i}`,
    name: `Follower ${i}`,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    endpoints: { sharedInbox: `${origin(i)}/s/${i}/inbox` },
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
  };
}

/** The actor index a request is for: its path names it, and it must have come to that actor's address. */
function indexOf(req: IncomingMessage, pattern: RegExp): number | null {
  const match = pattern.exec(req.url ?? '');
  if (!match) return null;
  const i = Number(match[1]);
  if (!Number.isInteger(i) || i < 0 || i >= n) return null;
  return req.socket.localAddress?.replace(/^::ffff:/, '') === hostAddress(i) ? i : null;
}

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    const i = indexOf(req, /^\/u\/(\d+)$/);
    req.resume();
    if (i === null) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': AP }).end(JSON.stringify(actor(i)));
    return;
  }
  const i = req.method === 'POST' ? indexOf(req, /^\/(?:u|s)\/(\d+)\/inbox$/) : null;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (i === null) return void res.writeHead(404).end();
    let activity: { id?: string; type?: string; object?: unknown };
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return void res.writeHead(400).end();
    }
    const type = String(activity.type ?? '');
    const id = String(activity.id ?? '');
    const object = activity.object;
    const objectId = typeof object === 'string' ? object : ((object as { id?: string } | undefined)?.id ?? null);
    const mode = misbehaving && type !== 'Accept' ? modes[i] : 'healthy';
    if (mode === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (mode === 'error500') return void res.writeHead(500).end();
    if (mode === 'gone410') return void res.writeHead(410).end();
    if (mode === 'rate429' && !limited.has(`${i} ${id}`)) {
      limited.add(`${i} ${id}`);
      return void res.writeHead(429, { 'retry-after': '2' }).end();
    }
    receipts.push({ i, id, type, objectId, at: Date.now(), path: req.url ?? '' });
    res.writeHead(202).end();
    for (const [suffix, wait] of waits) {
      if (!objectId?.endsWith(suffix)) continue;
      wait.actors.add(i);
      if (!req.headers.signature && !req.headers['signature-input']) wait.unsigned += 1;
      if (wait.actors.size === wait.count) {
        waits.delete(suffix);
        reply({ type: 'arrived', objectSuffix: suffix, count: wait.count, unsigned: wait.unsigned, at: Date.now() });
      }
    }
  });
});
server.keepAliveTimeout = 30_000;
// Hanging hosts must keep the connection open as long as the sender waits.
server.requestTimeout = 0;
server.headersTimeout = 60_000;

/** A signed Follow from actor i (draft-cavage HTTP Signatures with a Digest, as Mastodon sends them). */
async function follow(i: number, target: string, inbox: string): Promise<number> {
  const body = JSON.stringify({
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: `${actorId(i)}/follows/${Date.now()}`,
    type: 'Follow',
    actor: actorId(i),
    object: target,
  });
  const url = new URL(inbox);
  const response = await fetch(url, {
    method: 'POST',
    headers: signedHeaders(privateKey, `${actorId(i)}#main-key`, url, body),
    body,
    signal: AbortSignal.timeout(60_000),
  });
  await response.body?.cancel();
  return response.status;
}

/**
 * Inbound load: `total` activities about one post (even: a Create(Note) reply, odd: a Like), from the farm's
 * actors in turn, each signed (draft-cavage) before the run starts, then POSTed with `concurrency` in flight.
 * Reports each accepted activity's stored id (the reply's Note id, the Like's id) and when it was sent.
 */
async function blast(request: Extract<FarmRequest, { type: 'blast' }>): Promise<void> {
  const url = new URL(request.inbox);
  const signStarted = performance.now();
  const prepared = Array.from({ length: request.total }, (_, k) => {
    const i = k % n;
    const actor = actorId(i);
    const id = `${actor}/${request.tag}/${k}`;
    const activity =
      k % 2 === 0
        ? {
            '@context': 'https://www.w3.org/ns/activitystreams',
            id: `${id}/activity`,
            type: 'Create',
            actor,
            to: ['https://www.w3.org/ns/activitystreams#Public'],
            cc: [request.herald],
            object: {
              id,
              type: 'Note',
              attributedTo: actor,
              inReplyTo: request.postUrl,
              to: ['https://www.w3.org/ns/activitystreams#Public'],
              cc: [request.herald],
              content: `<p>Reply ${k} from follower ${i}</p>`,
              published: new Date().toISOString(),
            },
          }
        : { '@context': 'https://www.w3.org/ns/activitystreams', id, type: 'Like', actor, object: request.postUrl };
    const body = JSON.stringify(activity);
    return { remoteId: id, body, headers: signedHeaders(privateKey, `${actorId(i)}#main-key`, url, body) };
  });
  reply({ type: 'blast-ready', signMs: performance.now() - signStarted });
  const statuses: Record<string, number> = {};
  const sent: Array<{ remoteId: string; at: number }> = [];
  const latencies: number[] = [];
  let next = 0;
  // undici's own request API over a keep-alive pool, not fetch: fetch's streams cost this process (which
  // shares the machine with Herald) several times the CPU per request, and servers deliver the same way.
  const pool = new Pool(url.origin, { connections: request.concurrency, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const startedAt = Date.now();
  const cpu0 = process.cpuUsage();
  const lane = async () => {
    while (next < prepared.length) {
      const k = next++;
      const item = prepared[k];
      // A steady load: request k starts k/rate seconds after the first, or later when every lane is busy.
      if (request.rate) {
        const wait = startedAt + (k * 1000) / request.rate - Date.now();
        if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      }
      const at = Date.now();
      const began = performance.now();
      const status = await pool
        .request({ method: 'POST', path: url.pathname, headers: item.headers, body: item.body })
        .then(async (response) => {
          await response.body.dump();
          return response.statusCode;
        })
        .catch((error: unknown) => (error instanceof Error ? error.name : 'error'));
      latencies.push(performance.now() - began);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (typeof status === 'number' && status >= 200 && status < 300) sent.push({ remoteId: item.remoteId, at });
    }
  };
  await Promise.all(Array.from({ length: request.concurrency }, lane));
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  reply({ type: 'blasted', sent, statuses, latencies, startedAt, endedAt: Date.now(), cpuMs: (cpu.user + cpu.system) / 1000 });
}

async function followAll(target: string, inbox: string, concurrency: number): Promise<FarmMessage> {
  const statuses: Record<string, number> = {};
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      // As a server would, a Follow that got no answer or a 5xx is sent again, up to 4 times.
      let status: number | string = 'none';
      for (let attempt = 0; attempt < 4; attempt += 1) {
        status = await follow(i, target, inbox).catch((error: unknown) => (error instanceof Error ? error.name : 'error'));
        if (typeof status === 'number' && status < 500) break;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (typeof status !== 'number' || status >= 300) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { type: 'followed', sent: n, failed, statuses };
}

const reply = (message: FarmMessage) => process.send?.(message);

process.on('message', (message: FarmRequest) => {
  switch (message.type) {
    case 'follow':
      void followAll(message.target, message.inbox, message.concurrency).then(reply);
      break;
    case 'misbehave':
      misbehaving = message.on;
      break;
    case 'receipts':
      reply({
        type: 'receipts',
        receipts: receipts.filter((r) => r.objectId?.endsWith(message.objectSuffix)),
        hanging: hanging.size,
      });
      break;
    case 'count':
      reply({ type: 'count', count: receipts.filter((r) => r.objectId?.endsWith(message.objectSuffix)).length });
      break;
    case 'blast':
      void blast(message);
      break;
    case 'await':
      waits.set(message.objectSuffix, { count: message.count, actors: new Set(), unsigned: 0 });
      break;
    case 'stop':
      for (const res of hanging) res.destroy();
      server.close(() => process.exit(0));
      server.closeAllConnections();
      break;
  }
});
// Never outlive the bench.
process.on('disconnect', () => process.exit(0));

server.listen(0, '0.0.0.0', () => {
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  reply({ type: 'listening', port });
});
