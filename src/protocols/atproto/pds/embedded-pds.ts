import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { PDS, envToCfg, envToSecrets, type ServerEnvironment } from '@atproto/pds';
import type { AtprotoConfig } from '../../../config/app-config.js';
import { loadPdsSecrets } from './pds-secrets.js';

/** Paths the PDS answers on Herald's host name; everything else is Herald's. */
const PDS_PATHS = /^\/(xrpc\/|\.well-known\/(atproto-did|oauth-)|oauth\/|@atproto\/|account(\/|$))/;

/** The PDS running inside Herald's process, sharing its HTTP server. */
export class EmbeddedPds {
  private constructor(
    private readonly pds: PDS,
    private readonly upgrades: EventEmitter,
    readonly adminPassword: string,
  ) {}

  /**
   * `servedDomains` answers the DID for a profile domain Herald serves. The PDS
   * checks a new handle by resolving it, which for a profile domain means DNS
   * or HTTPS back to this very process; asking Herald directly gives the same
   * answer without depending on DNS being in place yet.
   */
  static async create(
    config: AtprotoConfig,
    dataDir: string,
    port: number,
    servedDomains: (domain: string) => Promise<string | null>,
  ): Promise<EmbeddedPds> {
    const pdsDir = join(dataDir, 'pds');
    const secrets = await loadPdsSecrets(config, pdsDir);
    const env: ServerEnvironment = {
      port,
      hostname: config.pdsHostname,
      dataDirectory: pdsDir,
      blobstoreDiskLocation: join(pdsDir, 'blobs'),
      didPlcUrl: config.plcUrl,
      bskyAppViewUrl: config.appViewUrl,
      bskyAppViewDid: config.appViewDid,
      inviteRequired: config.inviteRequired,
      crawlers: config.crawlers,
      adminPassword: secrets.adminPassword,
      jwtSecret: secrets.jwtSecret,
      plcRotationKeyK256PrivateKeyHex: secrets.plcRotationKeyHex,
      devMode: config.pdsHostname === 'localhost',
    };
    const pds = await PDS.create(envToCfg(env), envToSecrets(env));
    const { handle } = pds.ctx.idResolver;
    const resolveRemote = handle.resolve.bind(handle);
    handle.resolve = async (domain: string) => (await servedDomains(domain)) ?? resolveRemote(domain);
    await pds.ctx.sequencer.start();
    return new EmbeddedPds(pds, await captureUpgradeHandler(pds), secrets.adminPassword);
  }

  /** Express-style middleware: hands the PDS's paths to it, the rest on. */
  readonly middleware = (request: { url: string }, response: unknown, next: () => void): void => {
    if (PDS_PATHS.test(request.url))
      (this.pds.app as unknown as (req: unknown, res: unknown, next: () => void) => void)(request, response, next);
    else next();
  };

  /** Forwards websocket upgrades for /xrpc/* (the firehose) from Herald's server to the PDS. */
  attach(server: Server): void {
    server.on('upgrade', (request, socket, head) => {
      if (request.url?.startsWith('/xrpc/')) this.upgrades.emit('upgrade', request, socket, head);
    });
  }

  async destroy(): Promise<void> {
    await this.pds.destroy();
  }
}

/**
 * The PDS's xrpc server installs its websocket handler on whatever server
 * `app.listen` returns. Herald owns the listening socket, so listen once on an
 * ephemeral loopback port, close it at once, and keep the server object only
 * as the emitter that carries the handler.
 */
async function captureUpgradeHandler(pds: PDS): Promise<EventEmitter> {
  const server = pds.app.listen(0, '127.0.0.1') as unknown as Server;
  await new Promise<void>((resolve) => server.once('listening', resolve));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return server;
}
