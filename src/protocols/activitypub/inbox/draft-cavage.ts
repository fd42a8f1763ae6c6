import { createHash, type KeyObject, timingSafeEqual, verify } from 'node:crypto';

/**
 * Draft-cavage HTTP Signatures (what Mastodon, Misskey, Pleroma and most of the fediverse send),
 * checked with node:crypto against a key already imported: the inbox's fast lane. Only the strict
 * form is checked here, the one that proves the body: the signature covers (request-target), host,
 * date and digest, the date is within the window and the SHA-256 digest matches. Anything else
 * (RFC 9421, other algorithms, other covered headers) is left to Fedify's own verifier.
 */
export interface SignatureParams {
  keyId: string;
  algorithm: string | null;
  headers: string[];
  signature: Buffer;
}

/** The request as the signer saw it: method, path (without the query, as Fedify and Mastodon sign it), header values by lower-case name. */
export interface SignedRequest {
  method: string;
  path: string;
  header(name: string): string | undefined;
}

export type Verdict = 'verified' | 'forged' | 'unsupported';

const REQUIRED = ['(request-target)', 'host', 'date', 'digest'];
/** Algorithms that mean RSASSA-PKCS1-v1_5 with SHA-256 for an RSA key (hs2019 takes the key's own). */
const RSA_SHA256 = new Set(['rsa-sha256', 'hs2019']);
const MAX_HEADER_LENGTH = 4096;

/** The parameters of a `Signature` header, or null when it is not one. */
export function parseSignatureHeader(value: string | undefined): SignatureParams | null {
  if (!value || value.length > MAX_HEADER_LENGTH) return null;
  const params = new Map<string, string>();
  for (const match of value.matchAll(/([a-zA-Z]+)\s*=\s*(?:"([^"]*)"|(\d+))\s*(?:,|$)/g)) {
    params.set(match[1].toLowerCase(), match[2] ?? match[3]);
  }
  const keyId = params.get('keyid');
  const signature = params.get('signature');
  if (!keyId || !signature || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return null;
  return {
    keyId,
    algorithm: params.get('algorithm')?.toLowerCase() ?? null,
    // The draft's default is `date` alone, which proves nothing about the body.
    headers: (params.get('headers') ?? 'date').toLowerCase().split(/\s+/).filter(Boolean),
    signature: Buffer.from(signature, 'base64'),
  };
}

/**
 * Whether the request is signed by this RSA key over its body. 'unsupported' when this strict
 * form does not apply (the caller then asks the full verifier); 'forged' when it applies and fails.
 */
export function verifyDraftCavage(
  request: SignedRequest,
  body: Buffer,
  params: SignatureParams,
  key: KeyObject,
  { now = Date.now(), windowMs }: { now?: number; windowMs: number },
): Verdict {
  if (key.asymmetricKeyType !== 'rsa') return 'unsupported';
  if (params.algorithm !== null && !RSA_SHA256.has(params.algorithm)) return 'unsupported';
  if (!REQUIRED.every((name) => params.headers.includes(name))) return 'unsupported';
  const date = Date.parse(request.header('date') ?? '');
  if (!Number.isFinite(date) || Math.abs(now - date) > windowMs) return 'unsupported';
  const digest = sha256Digest(request.header('digest'));
  if (!digest) return 'unsupported';
  const actual = createHash('sha256').update(body).digest();
  if (digest.length !== actual.length || !timingSafeEqual(digest, actual)) return 'forged';
  const lines: string[] = [];
  for (const name of params.headers) {
    if (name === '(request-target)') lines.push(`(request-target): ${request.method.toLowerCase()} ${request.path}`);
    else {
      const value = request.header(name);
      if (value === undefined) return 'forged';
      lines.push(`${name}: ${value}`);
    }
  }
  return verify('sha256', Buffer.from(lines.join('\n')), key, params.signature) ? 'verified' : 'forged';
}

/** The SHA-256 value of a `Digest` header (`SHA-256=…`, possibly beside others), or null. */
function sha256Digest(value: string | undefined): Buffer | null {
  if (!value) return null;
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim().toLowerCase() === 'sha-256') return Buffer.from(part.slice(at + 1).trim(), 'base64');
  }
  return null;
}
