import { generateCryptoKeyPair, MemoryKvStore } from '@fedify/fedify';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { OutgoingHttp } from '../../net/outgoing-http.js';
import { UnsafeUrlError } from '../../net/unsafe-url.error.js';
import { documentLoader, documentLoaderFactories } from './document-loaders.js';

const AS = 'https://www.w3.org/ns/activitystreams';

describe('documentLoader over OutgoingHttp', () => {
  let server: Server;
  let origin: string;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const clients: OutgoingHttp[] = [];
  const http = (exemptHosts: string[]) => {
    const client = new OutgoingHttp({ allowPrivate: false, exemptHosts, connectTimeoutMs: 2_000, requestTimeoutMs: 5_000 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url === '/old') {
        res.writeHead(301, { location: '/users/alice' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/activity+json' });
      res.end(JSON.stringify({ '@context': AS, id: `${origin}/users/alice`, type: 'Person', inbox: `${origin}/users/alice/inbox` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('refuses a document on a loopback address', async () => {
    await expect(documentLoader(http([]))(`${origin}/users/alice`)).rejects.toBeInstanceOf(UnsafeUrlError);
    expect(seen).toEqual([]);
  });

  it('loads from an exempt host, following a redirect and naming the document by where it came from', async () => {
    const loaded = await documentLoader(http([new URL(origin).host]))(`${origin}/old`);
    expect(loaded.documentUrl).toBe(`${origin}/users/alice`);
    expect(loaded.document).toMatchObject({ type: 'Person' });
    expect(seen.map((request) => request.url)).toEqual(['/old', '/users/alice']);
  });

  it('signs every hop when loading as an actor', async () => {
    const { privateKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const keyId = new URL('https://hub.example/@eu#main-key');
    await documentLoader(http([new URL(origin).host]), undefined, { keyId, privateKey })(`${origin}/old`);
    expect(seen).toHaveLength(2);
    for (const request of seen) expect(request.headers.signature).toContain(`keyId="${keyId.href}"`);
    expect(seen[1].headers.signature).toContain('(request-target)');
  });

  it('hands out one cached loader per set of options, which caches what it loaded', async () => {
    const kv = new MemoryKvStore();
    const { documentLoaderFactory } = documentLoaderFactories(http([new URL(origin).host]), kv);
    const loader = documentLoaderFactory({ userAgent: 'Herald/test' });
    expect(documentLoaderFactory({ userAgent: 'Herald/test' })).toBe(loader);
    expect(documentLoaderFactory({ userAgent: 'Herald/other' })).not.toBe(loader);
    await loader(`${origin}/users/alice`);
    await documentLoaderFactory({ userAgent: 'Herald/test' })(`${origin}/users/alice`);
    expect(seen).toHaveLength(1);
  });
});
