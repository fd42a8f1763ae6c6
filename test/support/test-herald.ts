import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import type { Role } from '../../src/access/role.js';
import { StaffService } from '../../src/auth/staff.service.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { startHerald, type Herald } from '../../src/herald.js';
import type { ProtocolAdapter } from '../../src/publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../../src/publishing/protocol-adapters.registry.js';
import { QUEUES } from '../../src/queue/queues.js';
import { redisConnectionOptions } from '../../src/queue/redis-connection.js';
import { boundedClose } from './bounded-close.js';
import { track } from './leftovers.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { deleteRedisPrefix, TEST_REDIS_URL, testRedisPrefix } from './test-redis.js';

export interface TestHerald {
  herald: Herald;
  config: AppConfig;
  database: TestDatabase;
  url: string;
  http: ReturnType<typeof request>;
  /** Creates a staff account with these roles and returns a bearer token for it. */
  login(roles: Role[], email?: string): Promise<string>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** The environment of a test hub: loopback on a free port, silent, its own data directory, database and Redis prefix. */
export function testHeraldEnv(storage: { dataDir: string; databaseUrl: string; prefix: string }): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: storage.dataDir,
    DATABASE_URL: storage.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: storage.prefix,
  };
}

/** How long a test hub's shutdown may take before its storage is removed anyway. */
const HUB_CLOSE_MS = 30_000;

/**
 * A real Herald over loopback: its own PostgreSQL database, Redis prefix
 * and data directory, all removed by close(), or at once if it fails to start.
 * Pass `sharing` to start another process of the same hub (e.g. a `worker`
 * beside a `web`) on the same database and Redis prefix; only the first one's
 * close() removes them. A hub left open by its test file is closed at the file's end.
 */
export function startTestHerald(label: string, env: Record<string, string> = {}, sharing?: TestHerald): Promise<TestHerald> {
  return track(createTestHerald(label, env, sharing));
}

async function createTestHerald(label: string, env: Record<string, string>, sharing?: TestHerald): Promise<TestHerald> {
  const owner = !sharing;
  const database = sharing?.database ?? (await createTestDatabase(label));
  const dataDir = sharing?.config.dataDir ?? (await mkdtemp(join(tmpdir(), `herald-${label}-`)));
  const prefix = sharing?.config.redis.prefix ?? testRedisPrefix(label);
  const removeStorage = async () => {
    if (!owner) return;
    await database.drop();
    await deleteRedisPrefix(prefix);
    await rm(dataDir, { recursive: true, force: true });
  };
  let config: AppConfig;
  let herald: Herald;
  try {
    config = loadConfig({ ...testHeraldEnv({ dataDir, databaseUrl: database.url, prefix }), ALLOW_PRIVATE_ADDRESS: 'true', ...env });
    herald = await startHerald(config, database.url);
  } catch (error) {
    await removeStorage();
    throw error;
  }
  // A federated test Herald listens where its PUBLIC_URL says; others on 127.0.0.1.
  const url = (env.HOST && env.PUBLIC_URL) || herald.url || '';
  let accounts = 0;
  return {
    herald,
    config,
    database,
    url,
    http: request(url),
    async login(roles, email) {
      const address = email ?? `${roles.join('-')}-${++accounts}@example.test`;
      await herald.app.get(StaffService).create({ email: address, displayName: roles.join(' '), password: TEST_PASSWORD, roles }, null);
      const response = await request(url).post('/api/auth/login').send({ email: address, password: TEST_PASSWORD }).expect(200);
      return response.body.token as string;
    },
    async close() {
      try {
        // Bounded like the networks' close (bounded-close.ts): on a busy machine a hub's shutdown waits for its
        // firehose and queues; a file whose tests passed must not fail on it, and a hang is named in the output.
        await boundedClose(`the test hub ${label}`, HUB_CLOSE_MS, herald.close());
      } finally {
        await removeStorage();
      }
    },
  };
}

/**
 * A `worker` process beside `web` whose jobs reach the given adapters from the
 * first one on: every queue stays paused while the worker starts and its real
 * adapters are replaced, so no job (not even the sweep it runs as it starts)
 * can reach a real adapter first.
 */
export async function startWorkerWithAdapters(
  web: TestHerald,
  adapters: ProtocolAdapter[],
  env: Record<string, string> = {},
): Promise<TestHerald> {
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { prefix: web.config.redis.prefix, connection }));
  try {
    await Promise.all(queues.map((queue) => queue.pause()));
    const worker = await startTestHerald('worker', { HERALD_ROLE: 'worker', ...env }, web);
    const registry = worker.herald.app.get(ProtocolAdapterRegistry);
    for (const adapter of adapters) registry.register(adapter);
    await Promise.all(queues.map((queue) => queue.resume()));
    return worker;
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

/**
 * A Herald whose PUBLIC_URL is where it listens (on its own loopback address), as
 * federation needs: ActivityPub ids and WebFinger name that host and port.
 */
export async function startFederatedTestHerald(label: string, host: string, env: Record<string, string> = {}): Promise<TestHerald> {
  const port = await freePort(host);
  return startTestHerald(label, { HOST: host, PORT: String(port), PUBLIC_URL: `http://${host}:${port}`, ...env });
}

/** A port nothing listens on yet, for a hub whose URL must be known before it starts. */
export async function freePort(host: string): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The ActivityPub profile the federation suites talk to (@eu), with one published note: their ids and URLs. */
export async function publishedActivityPubNote(
  hub: TestHerald,
  text: string,
  tokens: { admin: string; author?: string },
): Promise<{ profileId: string; actorId: string; postId: string; postObjectId: string }> {
  const profile = await hub.http
    .post('/api/profiles')
    .set('Authorization', `Bearer ${tokens.admin}`)
    .send({ handle: 'eu', domain: 'social.example.eu', displayName: 'European Commission', protocols: ['activitypub'] })
    .expect(201);
  const post = await hub.http
    .post(`/api/profiles/${profile.body.id}/posts`)
    .set('Authorization', `Bearer ${tokens.author ?? tokens.admin}`)
    .send({ kind: 'note', text, status: 'published' })
    .expect(201);
  const actorId = `${hub.url}/@eu`;
  return { profileId: profile.body.id, actorId, postId: post.body.id, postObjectId: `${actorId}/posts/${post.body.id}` };
}
