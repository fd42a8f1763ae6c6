import { createServer } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../../config/app-config.js';
import { AtprotoAccountsRepository } from './accounts/atproto-accounts.repository.js';
import { EmbeddedPds } from './pds/embedded-pds.js';
import { PdsConnection } from './pds/pds-connection.js';

export interface MountedPds {
  /** The port Herald must listen on (the PDS's public URL names it). */
  port: number;
  /** Call once Herald listens: forwards websocket upgrades and hands the PDS to the adapter. */
  listening(url: string): void;
  /** Stops the PDS when Herald fails to start before listening (afterwards the adapter's connection owns it). */
  abandon(): Promise<void>;
}

/**
 * Starts the embedded PDS and mounts it on Herald's app, before Nest's routes.
 * The PDS must know its port up front, so an ephemeral PORT=0 is resolved to a
 * free port here.
 */
export async function mountPds(app: NestExpressApplication, config: AppConfig): Promise<MountedPds> {
  const port = config.http.port === 0 ? await freePort(config.http.host) : config.http.port;
  const accounts = app.get(AtprotoAccountsRepository);
  // Outsiders' logins to the PDS are limited as staff logins to Herald are.
  const loginLimits = {
    perAddress: config.auth.loginLimits.perAddress,
    perAccount: config.auth.loginLimits.perAccount,
    durationSeconds: config.auth.loginLimits.windowSeconds,
  };
  const pds = await EmbeddedPds.create(config.atproto, config.dataDir, port, (domain) => accounts.findDidByDomain(domain), loginLimits);
  app.use(pds.middleware);
  return {
    port,
    listening(url) {
      pds.attach(app.getHttpServer());
      app.get(PdsConnection).useEmbedded(pds, url);
    },
    abandon: () => pds.destroy(),
  };
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}
