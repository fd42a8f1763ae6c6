import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { track } from './leftovers.js';

/**
 * A PLC directory address on loopback that Herald is pointed at from the start:
 * while `down`, every request is counted and its connection cut without an answer
 * (the directory is unreachable); `forwardTo(url)` then passes requests on to a real
 * PLC directory (dev-env's), so the same address becomes reachable without a restart.
 */
export class SwitchablePlc {
  /** Requests that reached the address while it was down. */
  refused = 0;
  private target: URL | null = null;

  private constructor(private readonly server: Server) {}

  static start(): Promise<SwitchablePlc> {
    return track(
      new Promise<SwitchablePlc>((resolve, reject) => {
        const server = createServer();
        const plc = new SwitchablePlc(server);
        server.on('request', (request, response) => plc.handle(request, response));
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(plc));
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  forwardTo(url: string): void {
    this.target = new URL(url);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (!this.target) {
      this.refused += 1;
      request.socket.destroy();
      return;
    }
    const upstream = httpRequest(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: this.target.host },
        timeout: 10_000,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('PLC forward timed out')));
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
