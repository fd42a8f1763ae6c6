import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Federation } from '@fedify/fedify';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from '@nestjs/common';
import getRawBody from 'raw-body';
import { activityOriginRefusal, actorIdOf } from './inbox/activity-origin.js';
import type { InboxFastLane } from './inbox/inbox-fast-lane.js';
import { InboxTraffic } from './inbox/inbox-traffic.js';

const logger = new Logger('ActivityPubInbox');

export interface InboxIntakeOptions {
  /** Inbox bodies over this many bytes are answered 413 before anything is parsed. */
  bodyLimitBytes: number;
  /** Verifies and queues what it can without Fedify's handler (see inbox-fast-lane.ts). */
  fastLane?: InboxFastLane;
  /** Herald's public origin, for the URL of a request handed to Fedify's verifier. */
  origin: string;
}

/**
 * Express → Fedify for reads: WebFinger, NodeInfo, actors, objects, collections. What Fedify does
 * not serve (not found, or a browser asking for HTML) goes on to Nest.
 */
export function federationMiddleware(federation: Federation<void>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    try {
      await serveWithFedify(federation, req, res, next);
    } catch (error) {
      next(error);
    }
  };
}

/** What the intake leaves to Fedify's own handler: the body it read, or the error it met. */
type HandedOver = { body: Buffer } | { error: unknown };
const handedOver = new WeakMap<IncomingMessage, HandedOver>();

/**
 * Inbox POSTs, taken at the HTTP server before Express: at thousands of activities a second,
 * Express's routing, response helpers and request logging cost as much as verifying a request.
 * The intake reads and bounds the body, refuses what nothing could authenticate, and lets the fast
 * lane verify and queue what it can. What happened is logged as a summary a minute (and every
 * refusal on its own). Anything else goes on to Express with the body already read, where
 * `inboxMiddleware` gives it to Fedify's handler.
 */
export function inboxIntake({ bodyLimitBytes, fastLane, origin }: InboxIntakeOptions) {
  const traffic = new InboxTraffic(fastLane);
  return async (req: IncomingMessage, res: ServerResponse, handOver: () => void): Promise<void> => {
    res.once('finish', () => traffic.answered(res.statusCode));
    try {
      const read = await readBody(req, bodyLimitBytes);
      if (read instanceof BodyRefusal) return refuseBody(req, res, read);
      const body = read;
      const json = parseJson(body);
      // Nothing can authenticate such a body: answer before Fedify parses it as JSON-LD.
      if (!mayBeSigned(req, json)) return answer(res, 401, 'The request is not signed.');
      // Before Fedify sees the id: Fedify remembers every queued activity's id as processed, so a forged
      // activity under another server's id would make Herald ignore that server's real one later.
      const refusal = json === NOT_JSON ? null : activityOriginRefusal(json);
      if (refusal) {
        logger.warn({ remoteHost: hostOf(json), reason: refusal }, 'Refused an inbound activity');
        return answer(res, 400, `Refused: ${refusal}.`);
      }
      if (fastLane && json !== NOT_JSON && (await fastLane.accept(inboundPost(req, body, json, origin)))) {
        return answer(res, 202, 'Activity is enqueued.');
      }
      handedOver.set(req, { body });
    } catch (error) {
      handedOver.set(req, { error });
    }
    handOver();
  };
}

/** Whether a request is for the inbox intake: a POST to the shared inbox or a profile's (Fedify's routes decide which exist). */
export function isInboxPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const query = req.url.indexOf('?');
  return (query < 0 ? req.url : req.url.slice(0, query)).endsWith('/inbox');
}

/**
 * Puts the intake in front of the server's request handler (Express). Nest creates the server with
 * Express as its only 'request' listener; the intake answers inbox POSTs and hands the rest on.
 */
export function mountInboxIntake(server: Server, intake: ReturnType<typeof inboxIntake>): void {
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (listeners.length !== 1) throw new Error(`Expected one request handler on the HTTP server, found ${listeners.length}`);
  const [express] = listeners;
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isInboxPost(req)) void intake(req, res, () => express(req, res));
    else express(req, res);
  });
}

/** Express's part of an inbox POST: what the intake handed over, to Fedify's own handler. */
export function inboxMiddleware(federation: Federation<void>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const taken = handedOver.get(req);
    if (!taken) return next();
    handedOver.delete(req);
    if ('error' in taken) return next(taken.error);
    try {
      await serveWithFedify(federation, req, res, next, taken.body);
    } catch (error) {
      next(error);
    }
  };
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function serveWithFedify(federation: Federation<void>, req: Request, res: Response, next: NextFunction, body?: Buffer) {
  let passed = false;
  const response = await federation.fetch(toWebRequest(req, body), {
    contextData: undefined,
    onNotFound: () => {
      passed = true;
      return new Response(null, { status: 404 });
    },
    onNotAcceptable: () => {
      passed = true;
      return new Response(null, { status: 406 });
    },
  });
  if (passed) return next();
  res.status(response.status);
  response.headers.forEach((value, key) => res.setHeader(key, value));
  if (!response.body) {
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}

class BodyRefusal {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

/**
 * The whole body, or why it was refused. A Content-Length over the limit is refused before a
 * byte is read; a body without one (chunked) is counted as it streams and refused at the first
 * byte past the limit, so no more than the limit is ever held.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | BodyRefusal> {
  try {
    return await getRawBody(req, { length: req.headers['content-length'], limit });
  } catch (error) {
    const { status, type } = error as { status?: number; type?: string };
    if (type === 'entity.too.large') return new BodyRefusal(413, `The body is over ${limit} bytes.`);
    if (status && status >= 400 && status < 500) return new BodyRefusal(status, 'The body could not be read.');
    throw error;
  }
}

/** What a refused body may still send after the answer, and for how long, before the connection is cut. */
const LINGER_BYTES = 8 * 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * Answers, then closes the connection the way web servers do ("lingering close"): what the client is
 * still sending is read and dropped for a moment (at most LINGER_BYTES, LINGER_MS), never kept. Cutting
 * the connection at once, with the client's bytes unread, makes the kernel reset it, and a client busy
 * writing may then lose the answer and see only a broken pipe.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, refusal: BodyRefusal): void {
  answer(res, refusal.status, refusal.message);
  const socket = req.socket;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  req.once('end', cut);
  socket.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * Whether Fedify could authenticate this body: an HTTP signature, or a Linked Data signature
 * or integrity proof inside it. Without any, Fedify would answer 401 anyway, but only after
 * parsing the body as JSON-LD.
 */
function mayBeSigned(req: IncomingMessage, json: unknown): boolean {
  if (req.headers.signature || req.headers['signature-input']) return true;
  // Not JSON: Fedify answers it 400.
  if (json === NOT_JSON) return true;
  return typeof json === 'object' && json !== null && ('signature' in json || 'proof' in json);
}

const NOT_JSON = Symbol('not JSON');

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

const hostOf = (json: unknown): string | null => {
  const actor = actorIdOf(json);
  return actor ? (URL.parse(actor)?.host ?? null) : null;
};

function inboundPost(req: IncomingMessage, body: Buffer, json: unknown, origin: string) {
  const url = new URL(req.url ?? '/', origin);
  return {
    method: req.method ?? 'POST',
    path: url.pathname,
    headers: req.headers,
    body,
    json,
    // Draft-cavage signatures cover the path and the Host header, not the origin Herald is reached at.
    toWebRequest: () => new globalThis.Request(url, { method: req.method, headers: webHeaders(req.headers), body }),
  };
}

function toWebRequest(req: Request, body: Buffer | undefined): globalThis.Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
  return new globalThis.Request(url, { method: req.method, headers: webHeaders(req.headers), body });
}

function webHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  return headers;
}
