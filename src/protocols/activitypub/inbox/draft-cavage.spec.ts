import { createHash, createSign, generateKeyPairSync, KeyObject } from 'node:crypto';
import { generateCryptoKeyPair, signRequest } from '@fedify/fedify/sig';
import { parseSignatureHeader, type SignedRequest, verifyDraftCavage } from './draft-cavage.js';

const HOUR = 3_600_000;

/** What Fedify itself signs (draft-cavage, as Herald's delivery does), as the lane sees the request. */
async function fedifySigned(body: string) {
  const { privateKey, publicKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
  const request = await signRequest(
    new Request('https://herald.example/inbox?x=1', { method: 'POST', body, headers: { 'content-type': 'application/activity+json' } }),
    privateKey,
    new URL('https://remote.example/users/a#main-key'),
    { spec: 'draft-cavage-http-signatures-12' },
  );
  const headers = Object.fromEntries(request.headers);
  headers.host = 'herald.example';
  const signed: SignedRequest = { method: 'POST', path: '/inbox', header: (name) => headers[name] };
  return { signed, headers, params: parseSignatureHeader(headers.signature)!, key: KeyObject.from(publicKey) };
}

describe('verifyDraftCavage', () => {
  const body = JSON.stringify({ id: 'https://remote.example/likes/1', type: 'Like' });

  it("verifies Fedify's own draft-cavage signature over request-target, host, date and digest", async () => {
    const { signed, params, key } = await fedifySigned(body);
    expect(params.keyId).toBe('https://remote.example/users/a#main-key');
    expect(verifyDraftCavage(signed, Buffer.from(body), params, key, { windowMs: HOUR })).toBe('verified');
  });

  it('calls a changed body, another path or another key forged', async () => {
    const { signed, params, key } = await fedifySigned(body);
    expect(verifyDraftCavage(signed, Buffer.from(body.replace('1', '2')), params, key, { windowMs: HOUR })).toBe('forged');
    expect(verifyDraftCavage({ ...signed, path: '/@eu/inbox' }, Buffer.from(body), params, key, { windowMs: HOUR })).toBe('forged');
    const other = KeyObject.from((await generateCryptoKeyPair('RSASSA-PKCS1-v1_5')).publicKey);
    expect(verifyDraftCavage(signed, Buffer.from(body), params, other, { windowMs: HOUR })).toBe('forged');
  });

  it('leaves to the full verifier what this strict form does not cover: an old date, no digest, another algorithm', async () => {
    const { signed, params, key } = await fedifySigned(body);
    const later = Date.now() + 2 * HOUR;
    expect(verifyDraftCavage(signed, Buffer.from(body), params, key, { now: later, windowMs: HOUR })).toBe('unsupported');
    const withoutDigest = { ...params, headers: params.headers.filter((name) => name !== 'digest') };
    expect(verifyDraftCavage(signed, Buffer.from(body), withoutDigest, key, { windowMs: HOUR })).toBe('unsupported');
    expect(verifyDraftCavage(signed, Buffer.from(body), { ...params, algorithm: 'rsa-sha512' }, key, { windowMs: HOUR })).toBe(
      'unsupported',
    );
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(verifyDraftCavage(signed, Buffer.from(body), params, ed, { windowMs: HOUR })).toBe('unsupported');
  });

  it("verifies Mastodon's header order and hs2019, signed with node:crypto", () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const headers: Record<string, string> = {
      host: 'herald.example',
      date: new Date().toUTCString(),
      digest: `SHA-256=${createHash('sha256').update(body).digest('base64')}`,
      'content-type': 'application/activity+json',
    };
    const names = ['(request-target)', 'host', 'date', 'digest', 'content-type'];
    const text = names
      .map((name) => (name === '(request-target)' ? '(request-target): post /inbox' : `${name}: ${headers[name]}`))
      .join('\n');
    const signature = createSign('RSA-SHA256').update(text).sign(privateKey, 'base64');
    const params = parseSignatureHeader(
      `keyId="https://m.example/users/b#main-key",algorithm="hs2019",headers="${names.join(' ')}",signature="${signature}"`,
    )!;
    const signed: SignedRequest = { method: 'POST', path: '/inbox', header: (name) => headers[name] };
    expect(verifyDraftCavage(signed, Buffer.from(body), params, publicKey, { windowMs: HOUR })).toBe('verified');
  });
});

describe('parseSignatureHeader', () => {
  it('refuses what is not a signature header', () => {
    expect(parseSignatureHeader(undefined)).toBeNull();
    expect(parseSignatureHeader('keyId="k"')).toBeNull();
    expect(parseSignatureHeader('keyId="k",signature="not base64!"')).toBeNull();
    expect(parseSignatureHeader(`keyId="k",signature="${'A'.repeat(5000)}"`)).toBeNull();
  });

  it("reads the draft's default covered headers (date alone) when none are named", () => {
    expect(parseSignatureHeader('keyId="k",signature="AAAA"')?.headers).toEqual(['date']);
  });
});
