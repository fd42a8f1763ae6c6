import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { loadConfig } from '../../config/app-config.js';
import { OutgoingHttp, outgoingHttpOptions } from '../../net/outgoing-http.js';
import { RelayStatus } from './relay-status.js';

const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

const listen = async <T extends Server | TcpServer>(server: T): Promise<number> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return (server.address() as { port: number }).port;
};

/**
 * The ways a configured relay can fail to answer "do you know this repo?". Its real answers
 * (RepoNotFound, a known repo at a revision) are tested against real XRPC servers in
 * test/atproto/relay-crawl.e2e-spec.ts.
 */
describe('RelayStatus', () => {
  let page: Server;
  let silent: TcpServer;
  let pagePort: number;
  let silentPort: number;
  const hits: string[] = [];
  const sockets: Socket[] = [];
  const clients: OutgoingHttp[] = [];

  const status = (env: Record<string, string>) => {
    const config = loadConfig({ NODE_ENV: 'test', OUTGOING_REQUEST_TIMEOUT_SECONDS: '1', ...env });
    const http = new OutgoingHttp(outgoingHttpOptions(config));
    clients.push(http);
    return new RelayStatus(config, http);
  };

  beforeAll(async () => {
    page = createHttpServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Not a relay</title>');
    });
    silent = createTcpServer((socket) => sockets.push(socket));
    [pagePort, silentPort] = await Promise.all([listen(page), listen(silent)]);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
    await Promise.all([new Promise((resolve) => page.close(resolve)), new Promise((resolve) => silent.close(resolve))]);
  });

  it('says so when no relay is configured, and asks nobody', async () => {
    const relays = status({});
    expect(relays.configured).toBe(false);
    expect(await relays.crawlState(DID, null)).toEqual([]);
  });

  it('refuses a relay at a private address without sending it anything', async () => {
    const [state] = await status({ ATPROTO_CRAWLERS: `http://127.0.0.1:${pagePort}` }).crawlState(DID, null);
    expect(state).toMatchObject({ reachable: false, knowsRepo: null });
    expect(state.error).toMatch(/not a public address/);
    expect(hits).toEqual([]);
  });

  it('gives up on a relay that never answers at the time limit', async () => {
    const started = Date.now();
    const [state] = await status({ ATPROTO_CRAWLERS: `http://127.0.0.1:${silentPort}`, ALLOW_PRIVATE_ADDRESS: 'true' }).crawlState(
      DID,
      null,
    );
    expect(state).toMatchObject({ relay: `http://127.0.0.1:${silentPort}`, reachable: false, knowsRepo: null });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not take a web page for a relay', async () => {
    const [state] = await status({ ATPROTO_CRAWLERS: `http://127.0.0.1:${pagePort}`, ALLOW_PRIVATE_ADDRESS: 'true' }).crawlState(DID, null);
    expect(state).toMatchObject({ reachable: false, knowsRepo: null });
    expect(state.error).toMatch(/not an XRPC answer/);
    expect(hits).toEqual([`/xrpc/com.atproto.sync.getRepoStatus?did=${encodeURIComponent(DID)}`]);
  });
});
