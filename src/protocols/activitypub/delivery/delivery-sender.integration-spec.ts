import { createServer, type Server } from 'node:http';
import { generateCryptoKeyPair } from '@fedify/fedify';
import { type HttpFetch, sendToInbox } from './delivery-sender.js';
import type { SigningKey } from './signing-keys.js';
import { OutgoingHttp } from '../../../net/outgoing-http.js';

/** The sender against a real HTTP server answering as inboxes do; what each answer comes to (FEDERATION.md#delivery). */
describe('sendToInbox', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const fetcher: HttpFetch = (request, init) => fetch(request, { redirect: init.redirect, signal: AbortSignal.timeout(init.timeoutMs) });
  let key: SigningKey;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url!);
      req.resume();
      req.on('end', () => {
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
    key = { keyId: new URL('https://herald.example/@eu#main-key'), privateKey: pair.privateKey };
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (status: number) =>
    sendToInbox(fetcher, `${base}/${status}/inbox`, new TextEncoder().encode('{"type":"Create"}'), key, {
      timeoutMs: 5_000,
      userAgent: 'Herald test',
    });

  it('signs (Signature and Digest) and counts a 2xx as delivered', async () => {
    expect(await send(202)).toEqual({ kind: 'delivered', status: 202 });
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
      const result = await sendToInbox((request, init) => http.fetch(request, init), `${base}/202/inbox`, new Uint8Array(), key, {
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
