import { createServer } from 'node:net';

export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(
      `Port ${port} on ${host} is already in use: is another Herald (or another server) running? ` +
        'Stop it, or start this one with another PORT. Nothing was started.',
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Fails fast, before anything is started (embedded PostgreSQL, the PDS on DATA_DIR),
 * when the HTTP port is taken: a second `npm start` used to die mid-start with a raw
 * EADDRINUSE stack. Port 0 (any free port) needs no check.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
