import { createServer, type Server } from 'node:net';
import { assertPortFree, PortInUseError } from './port-check.js';

describe('assertPortFree', () => {
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('says clearly, before anything starts, that the port is taken', async () => {
    const refusal = assertPortFree('127.0.0.1', port);
    await expect(refusal).rejects.toBeInstanceOf(PortInUseError);
    await expect(refusal).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use: is another Herald (or another server) running?`);
  });

  it('lets a free port (and port 0) through, and leaves it free', async () => {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    await assertPortFree('127.0.0.1', port);
    await assertPortFree('127.0.0.1', 0);
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
  });
});
