import { Temporal } from '@js-temporal/polyfill';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrator.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { FedifyKvRepository } from '../../src/protocols/activitypub/fedify-kv.repository.js';
import { deleteRedisPrefix, TEST_REDIS_URL, testRedisPrefix } from '../support/test-redis.js';

/**
 * Fedify's store: PostgreSQL, with remote documents and public keys also kept in the process for a while,
 * and the idempotence marks of inbound activities in Redis, beside the queue.
 */
describe('FedifyKvRepository', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let kv: FedifyKvRepository;
  const config = { redis: { url: TEST_REDIS_URL, prefix: testRedisPrefix('fedifykv') } } as AppConfig;
  const opened: FedifyKvRepository[] = [];
  const repository = () => {
    const made = new FedifyKvRepository(dataSource, config);
    opened.push(made);
    return made;
  };

  beforeAll(async () => {
    database = await createTestDatabase('fedifykv');
    dataSource = await new DataSource(dataSourceOptions(database.url, 'public')).initialize();
    await runMigrations(dataSource);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(opened.map((made) => made.onModuleDestroy()));
    await deleteRedisPrefix(config.redis.prefix);
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => {
    kv = repository();
  });

  const removeRow = (key: string[]) => dataSource.query(`DELETE FROM fedify_kv WHERE key = $1`, [key]);

  it('answers a cached public key from the process, without PostgreSQL, and each read is a copy of its own', async () => {
    const key = ['_fedify', 'publicKey', 'https://remote.example/users/a#main-key'] as const;
    await kv.set(key, { id: 'k', publicKeyPem: 'PEM' });
    await removeRow([...key]);
    const first = await kv.get<{ id: string }>(key);
    expect(first).toEqual({ id: 'k', publicKeyPem: 'PEM' });
    first!.id = 'changed by a caller';
    expect(await kv.get(key)).toEqual({ id: 'k', publicKeyPem: 'PEM' });
    // Another process (a fresh repository) reads PostgreSQL, where the row is gone.
    expect(await repository().get(key)).toBeUndefined();
  });

  it('keeps a document read from PostgreSQL, and forgets it on delete', async () => {
    const key = ['_fedify', 'remoteDocument', 'https://remote.example/users/b'] as const;
    await repository().set(key, { document: { id: 'b' } });
    expect(await kv.get(key)).toEqual({ document: { id: 'b' } });
    await removeRow([...key]);
    expect(await kv.get(key)).toEqual({ document: { id: 'b' } });
    await kv.delete(key);
    expect(await kv.get(key)).toBeUndefined();
  });

  it('does not keep an entry past its TTL', async () => {
    const key = ['_fedify', 'publicKey', 'https://remote.example/users/c#main-key'] as const;
    await kv.set(key, { id: 'c' }, { ttl: Temporal.Duration.from({ milliseconds: 300 }) });
    expect(await kv.get(key)).toEqual({ id: 'c' });
    const deadline = Date.now() + 10_000;
    while ((await kv.get(key)) !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await kv.get(key)).toBeUndefined();
  });

  it('keeps idempotence marks in Redis, shared by every process, with their TTL, and none in PostgreSQL', async () => {
    const key = ['_fedify', 'activityIdempotence', 'https://herald.example', 'https://remote.example/activities/1'] as const;
    await kv.set(key, true, { ttl: Temporal.Duration.from({ seconds: 60 }) });
    expect(await repository().get(key)).toBe(true);
    const rows = await dataSource.query(`SELECT 1 FROM fedify_kv WHERE key = $1`, [[...key]]);
    expect(rows).toHaveLength(0);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const [stored] = await redis.keys(`${config.redis.prefix}:fedify-kv:*`);
      const ttl = await redis.pttl(stored);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.disconnect();
    }
    await repository().delete(key);
    expect(await kv.get(key)).toBeUndefined();
  });
});
