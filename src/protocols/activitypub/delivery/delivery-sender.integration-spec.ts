import { KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { exportSpki, generateCryptoKeyPair, verifyRequest } from '@fedify/fedify';
import { preloadedContexts } from '@fedify/vocab-runtime';
import { type InboxPost, sendToInbox } from './delivery-sender.js';
import type { SigningKey } from './signing-keys.js';
import { OutgoingHttp } from '../../../net/outgoing-http.js';

/** The sender against a real HTTP server answering as inboxes do; what each answer comes to (FEDERATION.md#delivery). */
describe('sendToInbox', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const received: Array<{ url: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
  const loopback = new OutgoingHttp({ allowPrivate: true, exemptHosts: [], connectTimeoutMs: 2_000, requestTimeoutMs: 5_000 });
  const post: InboxPost = (url, init) => loopback.post(url, init);
  let key: SigningKey;
  let publicKeyPem: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url!);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        const status = Number(req.url!.split('/')[1]);
        if (status === 302) return void res.writeHead(302, { location: `${base}/202/after-redirect` }).end();
        if (status === 429) return void res.writeHead(429, { 'retry-after': '120' }).end();
        res.writeHead(req.headers.signature && req.headers.digest ? status : 400).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const pair = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    key = {
      keyId: new URL('https://herald.example/@eu#main-key'),
      privateKey: pair.privateKey,
      keyObject: KeyObject.from(pair.privateKey),
    };
    publicKeyPem = await exportSpki(pair.publicKey);
  });

  afterAll(async () => {
    await loopback.onApplicationShutdown();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (status: number) =>
    sendToInbox(post, `${base}/${status}/inbox`, new TextEncoder().encode('{"type":"Create"}'), key, {
      timeoutMs: 5_000,
      userAgent: 'Herald test',
    });

  it('signs (Signature and Digest) and counts a 2xx as delivered', async () => {
    expect(await send(202)).toEqual({ kind: 'delivered', status: 202 });
  });

  it("signs so that Fedify's own verifier accepts the request as received", async () => {
    expect(await send(202)).toMatchObject({ kind: 'delivered' });
    const last = received.at(-1)!;
    const headers = new Headers();
    for (const [name, value] of Object.entries(last.headers)) if (typeof value === 'string') headers.set(name, value);
    const request = new Request(`${base}${last.url}`, { method: 'POST', headers, body: last.body });
    const keyDocument = {
      '@context': 'https://w3id.org/security/v1',
      id: key.keyId.href,
      type: 'CryptographicKey',
      owner: 'https://herald.example/@eu',
      publicKeyPem,
    };
    const documentLoader = async (url: string) => {
      if (url === key.keyId.href) return { contextUrl: null, documentUrl: url, document: keyDocument };
      if (url in preloadedContexts) return { contextUrl: null, documentUrl: url, document: preloadedContexts[url] };
      throw new Error(`not loaded in this test: ${url}`);
    };
    const verified = await verifyRequest(request, { documentLoader, contextLoader: documentLoader });
    expect(verified?.id?.href).toBe(key.keyId.href);
    // A changed body no longer matches the signed digest.
    const tampered = new Request(`${base}${last.url}`, { method: 'POST', headers, body: '{"type":"Delete"}' });
    expect(await verifyRequest(tampered, { documentLoader, contextLoader: documentLoader })).toBeNull();
  });

  it('gives up on client errors that retrying cannot mend, and retries 401 and 408', async () => {
    for (const status of [400, 403, 404, 422]) expect((await send(status)).kind).toBe('refused');
    for (const status of [401, 408]) expect((await send(status)).kind).toBe('failed');
  });

  it('marks 410 as gone, 5xx as failed, and a 429 with the Retry-After it names', async () => {
    expect(await send(410)).toEqual({ kind: 'gone', status: 410 });
    expect(await send(503)).toMatchObject({ kind: 'failed', status: 503 });
    const limited = await send(429);
    expect(limited.kind).toBe('rate-limited');
    const retryAfter = (limited as { retryAfter: Date }).retryAfter.getTime() - Date.now();
    expect(retryAfter).toBeGreaterThan(100_000);
  });

  it('does not follow a redirect: the 3xx is a failure to retry, and the target is never posted to', async () => {
    expect(await send(302)).toMatchObject({ kind: 'failed', status: 302 });
    expect(hits).not.toContain('/202/after-redirect');
  });

  it("refuses, through Herald's guarded client, an inbox that resolves to a private address: given up, never sent", async () => {
    const http = new OutgoingHttp({ allowPrivate: false, exemptHosts: [], connectTimeoutMs: 2_000, requestTimeoutMs: 5_000 });
    const before = hits.length;
    try {
      const result = await sendToInbox((url, init) => http.post(url, init), `${base}/202/inbox`, new Uint8Array(), key, {
        timeoutMs: 5_000,
        userAgent: 'Herald test',
      });
      expect(result.kind).toBe('refused');
      expect(hits.length).toBe(before);
    } finally {
      await http.onApplicationShutdown();
    }
  });
});
