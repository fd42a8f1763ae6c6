import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { loadConfig } from '../config/app-config.js';
import { installGlobalTimeouts } from './global-timeouts.js';

const portOf = (server: Server | TcpServer) => (server.address() as { port: number }).port;

// undici's own fetch reads the process-wide dispatcher, as the embedded PDS's requests do.
describe('installGlobalTimeouts', () => {
  let silent: TcpServer;
  let stream: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    installGlobalTimeouts(loadConfig({ OUTGOING_CONNECT_TIMEOUT_SECONDS: '1', OUTGOING_REQUEST_TIMEOUT_SECONDS: '1' }));
    silent = createTcpServer((socket) => sockets.push(socket));
    // Headers at once, then a chunk every 300 ms for 3 s: three times the request limit, never idle for long.
    stream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(': keep-alive\n\n');
        if (++sent === 10) {
          clearInterval(timer);
          res.end();
        }
      }, 300);
    });
    await Promise.all([
      new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => stream.listen(0, '127.0.0.1', resolve)),
    ]);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([new Promise((resolve) => silent.close(resolve)), new Promise((resolve) => stream.close(resolve))]);
  });

  it('ends a request whose server never answers at the request limit', async () => {
    const started = Date.now();
    await expect(undiciFetch(`http://127.0.0.1:${portOf(silent)}/`)).rejects.toMatchObject({ cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not cut a stream that keeps sending, however long it lasts', async () => {
    const started = Date.now();
    const response = await undiciFetch(`http://127.0.0.1:${portOf(stream)}/`);
    const body = await response.text();
    expect(body.split(': keep-alive').length - 1).toBe(10);
    expect(Date.now() - started).toBeGreaterThan(2_500);
  });
});
