import { createHash, type KeyObject, sign } from 'node:crypto';

const AP = 'application/activity+json';

/** `SHA-256=…` of a body, as the Digest header carries it. */
export const digestOf = (body: string) => `SHA-256=${createHash('sha256').update(body).digest('base64')}`;

/**
 * Headers of a POST signed as Mastodon signs it: draft-cavage HTTP Signatures, rsa-sha256, over
 * (request-target), host, date, digest and content-type. Pass `digest` when one body goes to many inboxes.
 */
export function signedHeaders(
  privateKey: KeyObject,
  keyId: string,
  url: URL,
  body: string,
  digest = digestOf(body),
): Record<string, string> {
  const date = new Date().toUTCString();
  const signed = `(request-target): post ${url.pathname}\nhost: ${url.host}\ndate: ${date}\ndigest: ${digest}\ncontent-type: ${AP}`;
  const signature = sign('sha256', Buffer.from(signed), privateKey).toString('base64');
  return {
    'content-type': AP,
    date,
    digest,
    signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="${signature}"`,
  };
}
