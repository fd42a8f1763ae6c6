import type { Federation } from '@fedify/fedify';
import type { NextFunction, Request, Response } from 'express';
import { Readable } from 'node:stream';

/**
 * Express → Fedify: WebFinger, NodeInfo, actors, objects, collections and inboxes.
 * What Fedify does not serve (not found, or a browser asking for HTML) goes on to Nest.
 */
export function federationMiddleware(federation: Federation<void>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Only inboxes take POSTs; other bodies (the admin API's) must stay unread for Nest.
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.path.endsWith('/inbox')) return next();
    try {
      let passed = false;
      const response = await federation.fetch(toWebRequest(req), {
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

function toWebRequest(req: Request): globalThis.Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new globalThis.Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // Node's fetch needs `duplex` for streamed bodies.
    duplex: hasBody ? 'half' : undefined,
  });
}
