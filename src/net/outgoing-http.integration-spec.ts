import { lookup as dnsLookup } from 'node:dns';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type LookupFunction, type Server as TcpServer, type Socket } from 'node:net';
import { OutgoingHttp, type OutgoingHttpOptions } from './outgoing-http.js';
import { assertPublicUrl } from './public-url.js';
import { UnsafeUrlError } from './unsafe-url.error.js';

const listen = async <T extends Server | TcpServer>(server: T, host = '127.0.0.1'): Promise<number> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
};

/** A name server that answers `public.test` with the given addresses, in turn, and asks the system for the rest. */
function answering(...answers: string[]): LookupFunction {
  let next = 0;
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    if (hostname !== 'public.test') return dnsLookup(hostname, options, callback as never);
    const address = answers[Math.min(next++, answers.length - 1)];
    const family = address.includes(':') ? 6 : 4;
    if ((options as { all?: boolean }).all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

const client = (options: Partial<OutgoingHttpOptions> = {}) =>
  new OutgoingHttp({ allowPrivate: false, connectTimeoutMs: 2_000, requestTimeoutMs: 5_000, ...options });

describe('OutgoingHttp', () => {
  let server: Server;
  let port: number;
  let hits: string[];
  const clients: OutgoingHttp[] = [];
  const using = (http: OutgoingHttp) => (clients.push(http), http);

  beforeAll(async () => {
    hits = [];
    server = createHttpServer((req, res) => {
      hits.push(req.url ?? '');
      const to = /^\/redirect\?to=(.*)$/.exec(req.url ?? '');
      if (to) {
        res.writeHead(302, { location: decodeURIComponent(to[1]) }).end();
        return;
      }
      if (req.url === '/temporary') {
        res.writeHead(307, { location: '/echo' }).end();
        return;
      }
      if (req.url === '/echo') {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => res.end(`${req.method} ${Buffer.concat(chunks).toString()}`));
        return;
      }
      if (req.url === '/loop') {
        res.writeHead(301, { location: '/loop' }).end();
        return;
      }
      res.end(`hello ${req.method} ${req.url}`);
    });
    port = await listen(server);
  });

  afterAll(async () => {
    await Promise.all(clients.map((http) => http.onApplicationShutdown()));
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    hits.length = 0;
  });

  it('reaches a loopback server when private addresses are allowed', async () => {
    const response = await using(client({ allowPrivate: true })).fetch(`http://127.0.0.1:${port}/ok`);
    expect(await response.text()).toBe('hello GET /ok');
  });

  it.each([
    ['an IPv4 loopback literal', () => `http://127.0.0.1:${port}/x`],
    ['an IPv6 loopback literal', () => `http://[::1]:${port}/x`],
    ['an IPv4-mapped loopback literal', () => `http://[::ffff:127.0.0.1]:${port}/x`],
    ['a name that resolves to loopback', () => `http://localhost:${port}/x`],
    ['the metadata address', () => `http://169.254.169.254/latest/meta-data/`],
  ])('refuses %s before connecting', async (_name, url) => {
    await expect(using(client()).fetch(url())).rejects.toBeInstanceOf(UnsafeUrlError);
    expect(hits).toEqual([]);
  });

  it('refuses a name that resolved to a public address when stored and to loopback when connecting (DNS rebinding)', async () => {
    const lookup = answering('93.184.215.14', '127.0.0.1');
    const url = new URL(`http://public.test:${port}/rebound`);
    await expect(assertPublicUrl(url, { allowPrivate: false, lookup })).resolves.toBeUndefined();
    await expect(using(client({ lookup })).fetch(url)).rejects.toThrow(/public\.test resolves to 127\.0\.0\.1, not a public address/);
    expect(hits).toEqual([]);
  });

  it('checks every hop of a redirect: an allowed host cannot send the request to a loopback one', async () => {
    // 127.0.0.1:port stands for an allowed host (exempt); the redirect names the same server as `localhost`, which is not.
    const http = using(client({ exemptHosts: [`127.0.0.1:${port}`] }));
    const ok = await http.fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${port}/landed`)}`);
    expect(await ok.text()).toBe('hello GET /landed');
    hits.length = 0;
    const target = encodeURIComponent(`http://localhost:${port}/landed`);
    await expect(http.fetch(`http://127.0.0.1:${port}/redirect?to=${target}`)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), not a public address/,
    );
    expect(hits).toEqual([`/redirect?to=${target}`]);
  });

  it('checks a redirect to a name that rebinds to loopback', async () => {
    const http = using(client({ exemptHosts: [`127.0.0.1:${port}`], lookup: answering('127.0.0.1') }));
    const target = encodeURIComponent(`http://public.test:${port}/landed`);
    await expect(http.fetch(`http://127.0.0.1:${port}/redirect?to=${target}`)).rejects.toBeInstanceOf(UnsafeUrlError);
    expect(hits).toEqual([`/redirect?to=${target}`]);
  });

  it('refuses a redirect to another scheme', async () => {
    const http = using(client({ allowPrivate: true }));
    await expect(http.fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`)).rejects.toThrow(
      /redirect to scheme file:/,
    );
  });

  it('follows at most five redirects', async () => {
    const http = using(client({ allowPrivate: true }));
    await expect(http.fetch(`http://127.0.0.1:${port}/loop`)).rejects.toThrow(/More than 5 redirects/);
    expect(hits).toHaveLength(6);
  });

  it('turns a POST answered by 302 into a GET, and keeps the body through a 307', async () => {
    const http = using(client({ allowPrivate: true }));
    const moved = await http.fetch(`http://127.0.0.1:${port}/redirect?to=%2Fafter`, { method: 'POST', body: 'x' });
    expect(await moved.text()).toBe('hello GET /after');
    const kept = await http.fetch(`http://127.0.0.1:${port}/temporary`, { method: 'POST', body: '{"type":"Follow"}' });
    expect(await kept.text()).toBe('POST {"type":"Follow"}');
  });

  describe('against a server that accepts connections and never answers', () => {
    let silent: TcpServer;
    let silentPort: number;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      silent = createTcpServer((socket) => sockets.push(socket));
      silentPort = await listen(silent);
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('gives up at the request time limit', async () => {
      const http = using(client({ allowPrivate: true, requestTimeoutMs: 800 }));
      const started = Date.now();
      await expect(http.fetch(`http://127.0.0.1:${silentPort}/`)).rejects.toThrow();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(700);
      expect(elapsed).toBeLessThan(3_000);
    });

    it("gives up at a call's own shorter limit", async () => {
      const http = using(client({ allowPrivate: true }));
      const started = Date.now();
      await expect(http.fetch(`http://127.0.0.1:${silentPort}/`, { timeoutMs: 300 })).rejects.toThrow(/timed out|aborted/i);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });
});

describe('assertPublicUrl', () => {
  it.each([
    ['ftp://example.com/inbox', /scheme ftp: is not http or https/],
    ['https://user:secret@example.com/inbox', /credentials in the URL/],
    ['http://127.0.0.1/inbox', /127\.0\.0\.1 resolves to 127\.0\.0\.1, not a public address/],
    ['http://[::1]:8080/inbox', /resolves to ::1, not a public address/],
    ['http://localhost/inbox', /localhost resolves to .*, not a public address/],
    ['http://does-not-exist.invalid/inbox', /does not resolve/],
  ])('refuses %s', async (url, reason) => {
    await expect(assertPublicUrl(new URL(url), { allowPrivate: false })).rejects.toThrow(reason);
  });

  it('passes an exempt host, and anything when private addresses are allowed', async () => {
    await expect(
      assertPublicUrl(new URL('http://127.0.0.1:8080/inbox'), { allowPrivate: false, exemptHosts: ['127.0.0.1:8080'] }),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicUrl(new URL('http://127.0.0.1:8081/inbox'), { allowPrivate: false, exemptHosts: ['127.0.0.1:8080'] }),
    ).rejects.toThrow(UnsafeUrlError);
    await expect(assertPublicUrl(new URL('http://localhost/inbox'), { allowPrivate: true })).resolves.toBeUndefined();
  });

  it('passes a name that resolves only to public addresses', async () => {
    await expect(
      assertPublicUrl(new URL('https://public.test/inbox'), { allowPrivate: false, lookup: answering('93.184.215.14') }),
    ).resolves.toBeUndefined();
  });
});
