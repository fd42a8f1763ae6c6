import { EventEmitter } from 'node:events';
import { readdir, rmdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { PDS, envToCfg, envToSecrets, type ServerEnvironment } from '@atproto/pds';
import type { NextFunction, Request, Response } from 'express';
import type { AtprotoConfig } from '../../../config/app-config.js';
import { internalCallerToken } from './internal-caller.js';
import { type LoginLimits, PdsLoginLimiter } from './pds-login-limiter.js';
import { logRefusalsByStatus } from './pds-request-log.js';
import { loadPdsSecrets } from './pds-secrets.js';

/** Paths the PDS answers on Herald's host name; everything else is Herald's. */
const PDS_PATHS = /^\/(xrpc\/|\.well-known\/(atproto-did|oauth-)|oauth\/|@atproto\/|account(\/|$))/;

const CREATE_ACCOUNT = '/xrpc/com.atproto.server.createAccount';

/** The PDS running inside Herald's process, sharing its HTTP server. */
export class EmbeddedPds {
  private readonly limiter: PdsLoginLimiter;
  private creationsInFlight = 0;

  private constructor(
    private readonly pds: PDS,
    private readonly upgrades: EventEmitter,
    readonly adminPassword: string,
    loginLimits: LoginLimits,
  ) {
    this.limiter = new PdsLoginLimiter(loginLimits, internalCallerToken(adminPassword));
  }

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
    loginLimits: LoginLimits,
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
    return new EmbeddedPds(pds, await captureUpgradeHandler(pds), secrets.adminPassword, loginLimits);
  }

  /** Express middleware: hands the PDS's paths to it (after the login rate limit), the rest on. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (!PDS_PATHS.test(request.url)) return next();
    logRefusalsByStatus(request);
    this.limiter.middleware(request, response, (error?: unknown) => {
      if (error) return next(error);
      if (request.method === 'POST' && request.path === CREATE_ACCOUNT) this.trackCreation(response);
      (this.pds.app as unknown as (req: Request, res: Response, next: NextFunction) => void)(request, response, next);
    });
  };

  /**
   * A failed account creation can leave the actor's directory (or the shard directory above it) empty behind: once
   * no creation is under way (one could be about to write into a fresh directory), empty ones are removed.
   */
  private trackCreation(response: Response): void {
    this.creationsInFlight++;
    response.once('close', () => {
      this.creationsInFlight--;
      if (response.statusCode >= 400 && this.creationsInFlight === 0) void this.removeEmptyActorDirectories();
    });
  }

  private async removeEmptyActorDirectories(): Promise<void> {
    const actors = this.pds.ctx.cfg.actorStore.directory;
    for (const shard of await readdir(actors, { withFileTypes: true }).catch(() => [])) {
      if (!shard.isDirectory()) continue;
      const shardPath = join(actors, shard.name);
      for (const actor of await readdir(shardPath, { withFileTypes: true }).catch(() => [])) {
        if (actor.isDirectory()) await rmdir(join(shardPath, actor.name)).catch(() => undefined);
      }
      // rmdir removes only empty directories: anything holding an account stays.
      await rmdir(shardPath).catch(() => undefined);
    }
  }

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
