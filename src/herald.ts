import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import bodyParser from 'body-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module.js';
import { JsonLogger } from './common/json-logger.js';
import { validationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { migrateDatabase } from './database/migrator.js';
import { installGlobalTimeouts } from './net/global-timeouts.js';
import { AtprotoAccountsRepository } from './protocols/atproto/accounts/atproto-accounts.repository.js';
import { handleDidMiddleware } from './protocols/atproto/accounts/handle-did.middleware.js';
import { assertRedisReachable } from './queue/redis-check.js';
import { assertPortFree } from './common/port-check.js';
import { federationMiddleware, inboxIntake, inboxMiddleware, mountInboxIntake } from './protocols/activitypub/federation.middleware.js';
import { routeFedifyLogs } from './protocols/activitypub/fedify-log.js';
import { FederationHost } from './protocols/activitypub/federation-host.js';

export interface Herald {
  app: INestApplicationContext;
  /** Set when this process serves HTTP (roles `web` and `all`). */
  http?: INestApplication;
  url?: string;
  close(): Promise<void>;
}

/**
 * Builds and starts Herald for the configured role. Used by main.ts and by the tests.
 * A start that fails midway closes what it had opened (connections, the PDS, the
 * listening socket) before it throws, so no half-started Herald keeps the process alive.
 */
export async function startHerald(config: AppConfig, databaseUrl: string): Promise<Herald> {
  const opened: Array<() => Promise<void>> = [];
  try {
    return await start(config, databaseUrl, opened);
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function start(config: AppConfig, databaseUrl: string, opened: Array<() => Promise<void>>): Promise<Herald> {
  installGlobalTimeouts(config);
  await assertRedisReachable(config.redis.url);
  if (config.database.runMigrations) await migrateDatabase(databaseUrl, config.database.schema);
  const module = AppModule.forRoot(config, databaseUrl);
  const logger = new JsonLogger(config.logLevel);
  routeFedifyLogs(logger.pino, config.federation.logLevel);
  if (config.role === 'worker') {
    // abortOnError off: Nest would end the process on a failed start; we close and throw instead.
    const app = await NestFactory.createApplicationContext(module, { logger, abortOnError: false });
    opened.push(() => app.close());
    app.enableShutdownHooks();
    await app.init();
    return { app, close: () => app.close() };
  }
  await assertPortFree(config.http.host, config.http.port);
  // The body parser stays off: federation inboxes need the raw body to check signatures.
  const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false, logger, abortOnError: false });
  opened.push(() => app.close());
  // Inbox POSTs are taken at the server, before Express and request logging (federation.middleware.ts).
  const federationHost = app.get(FederationHost);
  mountInboxIntake(
    app.getHttpServer(),
    inboxIntake({
      bodyLimitBytes: config.federation.inboundBodyLimitBytes,
      fastLane: federationHost.fastLane,
      origin: config.http.publicUrl.origin,
    }),
  );
  app.use(inboxMiddleware(federationHost.federation));
  app.use(
    pinoHttp({
      logger: logger.pino,
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    }),
  );
  app.enableShutdownHooks();
  // Only these proxies may name the client (X-Forwarded-For), so req.ip, which the login limits count, cannot be forged.
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Pages set their own policy (console, public pages); a global one would break the PDS's and the API docs' pages.
      contentSecurityPolicy: false,
      // Other servers' web clients may show public media and avatars.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  // Before Nest's routes: ActivityPub gets JSON-LD requests; HTML requests for the same URLs fall through.
  app.use(federationMiddleware(federationHost.federation));

  // Profile domains are Bluesky handles: answer their DID before the PDS, which knows only its service domains.
  app.use('/.well-known/atproto-did', handleDidMiddleware(app.get(AtprotoAccountsRepository)));
  // Loaded only where it runs: the PDS's code alone is about 140 MB of a process's memory.
  const pds = config.atproto.embedPds ? await (await import('./protocols/atproto/mount-pds.js')).mountPds(app, config) : null;
  if (pds) opened.push(() => pds.abandon());
  app.use('/api', bodyParser.json({ limit: '1mb' }), bodyParser.urlencoded({ extended: false, limit: '1mb' }));
  app.useGlobalPipes(validationPipe());
  const openApi = new DocumentBuilder()
    .setTitle('Herald admin API')
    .setDescription(API_DESCRIPTION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The `token` from POST /api/auth/login' })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'x-herald-console', description: 'With the console’s session cookie: any value, e.g. 1' },
      'console',
    )
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('console')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  await app.listen(pds?.port ?? config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  pds?.listening(`http://127.0.0.1:${port}`);
  return { app, http: app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

const API_DESCRIPTION = [
  'Publish once to the fediverse and Bluesky; triage one inbox.',
  '',
  '**Authenticating, to use “Try it out”:**',
  '1. `POST /api/auth/login` (under *auth*) with your e-mail and password; copy the `token` from the answer.',
  '2. Click **Authorize**, paste the token under *bearer*, and close the dialog. Every call now carries `Authorization: Bearer <token>`.',
  '',
  'Logged in to the console in this browser instead? The session cookie is sent by itself, but a call that changes something',
  'must also carry the console’s `x-herald-console` header (protection against cross-site requests): under **Authorize**, enter `1`',
  'for *console*. Each operation lists the role it needs; an admin may call every one.',
].join('\n');
