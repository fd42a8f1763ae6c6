import type { Federation } from '@fedify/fedify';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from '@nestjs/common';
import getRawBody from 'raw-body';
import { activityOriginRefusal, actorIdOf } from './inbox/activity-origin.js';

const logger = new Logger('ActivityPubInbox');

export interface FederationMiddlewareOptions {
  /** Inbox bodies over this many bytes are answered 413 before anything is parsed. */
  bodyLimitBytes: number;
}

/**
 * Express → Fedify: WebFinger, NodeInfo, actors, objects, collections and inboxes.
 * What Fedify does not serve (not found, or a browser asking for HTML) goes on to Nest.
 */
export function federationMiddleware(federation: Federation<void>, { bodyLimitBytes }: FederationMiddlewareOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Only inboxes take POSTs; other bodies (the admin API's) must stay unread for Nest.
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.path.endsWith('/inbox')) return next();
    try {
      let body: Buffer | undefined;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const read = await readBody(req, bodyLimitBytes);
        if (read instanceof BodyRefusal) return refuseBody(res, read);
        body = read;
        const json = parseJson(body);
        // Nothing can authenticate such a body: answer before Fedify parses it as JSON-LD.
        if (!mayBeSigned(req, json)) return void res.status(401).type('text/plain').send('The request is not signed.');
        // Before Fedify sees the id: Fedify remembers every queued activity's id as processed, so a forged
        // activity under another server's id would make Herald ignore that server's real one later.
        const refusal = json === NOT_JSON ? null : activityOriginRefusal(json);
        if (refusal) {
          logger.warn({ remoteHost: hostOf(json), reason: refusal }, 'Refused an inbound activity');
          return void res.status(400).type('text/plain').send(`Refused: ${refusal}.`);
        }
      }
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
    } catch (error) {
      next(error);
    }
  };
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
async function readBody(req: Request, limit: number): Promise<Buffer | BodyRefusal> {
  try {
    return await getRawBody(req, { length: req.headers['content-length'], limit });
  } catch (error) {
    const { status, type } = error as { status?: number; type?: string };
    if (type === 'entity.too.large') return new BodyRefusal(413, `The body is over ${limit} bytes.`);
    if (status && status >= 400 && status < 500) return new BodyRefusal(status, 'The body could not be read.');
    throw error;
  }
}

/** Answers and closes the connection: the rest of a refused body is never read. */
function refuseBody(res: Response, refusal: BodyRefusal): void {
  res.setHeader('Connection', 'close');
  res.status(refusal.status).type('text/plain').send(refusal.message);
}

/**
 * Whether Fedify could authenticate this body: an HTTP signature, or a Linked Data signature
 * or integrity proof inside it. Without any, Fedify would answer 401 anyway, but only after
 * parsing the body as JSON-LD.
 */
function mayBeSigned(req: Request, json: unknown): boolean {
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

function toWebRequest(req: Request, body: Buffer | undefined): globalThis.Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  return new globalThis.Request(url, { method: req.method, headers, body });
}
