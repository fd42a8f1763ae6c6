import type { Federation } from '@fedify/fedify';
import type { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';

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
        // Nothing can authenticate such a body: answer before Fedify parses it as JSON-LD.
        if (!mayBeSigned(req, body)) return void res.status(401).type('text/plain').send('The request is not signed.');
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
function mayBeSigned(req: Request, body: Buffer): boolean {
  if (req.headers.signature || req.headers['signature-input']) return true;
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    return typeof json === 'object' && json !== null && ('signature' in json || 'proof' in json);
  } catch {
    // Not JSON: Fedify answers it 400.
    return true;
  }
}

function toWebRequest(req: Request, body: Buffer | undefined): globalThis.Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  return new globalThis.Request(url, { method: req.method, headers, body });
}
