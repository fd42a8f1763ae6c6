import { createHash, sign } from 'node:crypto';
import { UnsafeUrlError } from '../../../net/unsafe-url.error.js';
import type { SigningKey } from './signing-keys.js';

/** What one POST to an inbox came to. */
export type SendResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'refused'; status: number; error: string }
  | { kind: 'rate-limited'; status: number; retryAfter: Date | null; error: string }
  | { kind: 'failed'; status: number | null; error: string };

/** A POST that follows no redirect and discards the answer's body (OutgoingHttp.post). */
export type InboxPost = (
  url: URL,
  init: { headers: Record<string, string>; body: Uint8Array; timeoutMs: number },
) => Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>;

const AP = 'application/activity+json';
const SIGNED_HEADERS = '(request-target) host date digest content-type';

/** The Digest header of a body, computed once per fan-out: every inbox gets the same bytes. */
export function digestOf(body: Uint8Array): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

/**
 * The headers of a POST signed with draft-cavage HTTP Signatures (rsa-sha256 over the headers Mastodon
 * signs: request target, host, date, digest, content type), which every major server accepts. node:crypto
 * with a KeyObject made once per key: synchronous, and without the Request copies a generic signer makes.
 */
export function signedHeaders(url: URL, digest: string, key: SigningKey, userAgent: string): Record<string, string> {
  const date = new Date().toUTCString();
  const signed = `(request-target): post ${url.pathname}${url.search}\nhost: ${url.host}\ndate: ${date}\ndigest: ${digest}\ncontent-type: ${AP}`;
  const signature = sign('sha256', Buffer.from(signed), key.keyObject).toString('base64');
  return {
    host: url.host,
    date,
    digest,
    'content-type': AP,
    accept: AP,
    'user-agent': userAgent,
    signature: `keyId="${key.keyId.href}",algorithm="rsa-sha256",headers="${SIGNED_HEADERS}",signature="${signature}"`,
  };
}

/** Signs an activity for one inbox and POSTs it with a deadline. Never throws. */
export async function sendToInbox(
  post: InboxPost,
  inbox: string,
  body: Uint8Array,
  key: SigningKey,
  options: { timeoutMs: number; userAgent: string; digest?: string; signing?: <T>(work: () => Promise<T>) => Promise<T> },
): Promise<SendResult> {
  const signing = options.signing ?? ((work) => work());
  let response: Awaited<ReturnType<InboxPost>>;
  try {
    const url = new URL(inbox);
    const digest = options.digest ?? digestOf(body);
    const headers = await signing(async () => signedHeaders(url, digest, key, options.userAgent));
    response = await post(url, { headers, body, timeoutMs: options.timeoutMs });
  } catch (error) {
    // An inbox on a private or loopback address stays refused however often it is tried.
    if (error instanceof UnsafeUrlError) return { kind: 'refused', status: 0, error: error.message };
    return { kind: 'failed', status: null, error: describe(error, options.timeoutMs) };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status };
  if (status === 429) {
    const header = response.headers['retry-after'];
    return {
      kind: 'rate-limited',
      status,
      retryAfter: retryAfterOf(Array.isArray(header) ? header[0] : (header ?? null)),
      error: 'HTTP 429',
    };
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
