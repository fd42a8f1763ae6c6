import { signRequest } from '@fedify/fedify';
import { UnsafeUrlError } from '../../../net/unsafe-url.error.js';
import type { SigningKey } from './signing-keys.js';

/** What one POST to an inbox came to. */
export type SendResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'refused'; status: number; error: string }
  | { kind: 'rate-limited'; status: number; retryAfter: Date | null; error: string }
  | { kind: 'failed'; status: number | null; error: string };

export type HttpFetch = (request: Request, init: { timeoutMs: number; redirect: 'manual' }) => Promise<Response>;

/**
 * Signs an activity for one inbox (draft-cavage HTTP Signatures, which every
 * major server accepts) and POSTs it with a deadline. Never throws.
 */
export async function sendToInbox(
  fetcher: HttpFetch,
  inbox: string,
  body: Uint8Array,
  key: SigningKey,
  options: { timeoutMs: number; userAgent: string; signing?: <T>(work: () => Promise<T>) => Promise<T> },
): Promise<SendResult> {
  const signing = options.signing ?? ((work) => work());
  let response: Response;
  try {
    const request = new Request(inbox, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json', accept: 'application/activity+json', 'user-agent': options.userAgent },
      body,
    });
    const signed = await signing(() =>
      signRequest(request, key.privateKey, key.keyId, {
        spec: 'draft-cavage-http-signatures-12',
        body: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
      }),
    );
    response = await fetcher(signed, { timeoutMs: options.timeoutMs, redirect: 'manual' });
  } catch (error) {
    // An inbox on a private or loopback address stays refused however often it is tried.
    if (error instanceof UnsafeUrlError) return { kind: 'refused', status: 0, error: error.message };
    return { kind: 'failed', status: null, error: describe(error, options.timeoutMs) };
  }
  // The answer's body is not needed; dropping it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status };
  if (status === 429) {
    return { kind: 'rate-limited', status, retryAfter: retryAfterOf(response.headers.get('retry-after')), error: 'HTTP 429' };
  }
  // As Mastodon does: other client errors will not get better by retrying, except these.
  if (status >= 400 && status < 500 && status !== 401 && status !== 408) return { kind: 'refused', status, error: `HTTP ${status}` };
  return { kind: 'failed', status, error: `HTTP ${status}` };
}

function retryAfterOf(header: string | null): Date | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return new Date(Date.now() + seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : new Date(date);
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
