import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import type { ModuleMetadata } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { runMigrations } from '../../src/database/migrator.js';
import { QueueModule } from '../../src/queue/queue.module.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { deleteRedisPrefix, TEST_REDIS_URL, testRedisPrefix } from './test-redis.js';

export interface ServiceModule {
  module: TestingModule;
  config: AppConfig;
  database: TestDatabase;
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * Feature modules with their real repositories on a PostgreSQL database of
 * their own (migrated) and their own Redis prefix; no HTTP, no hub. For tests
 * of a service's rules: seconds, not a whole Herald.
 */
export async function startServiceModule(
  label: string,
  imports: ModuleMetadata['imports'],
  env: Record<string, string> = {},
): Promise<ServiceModule> {
  const database = await createTestDatabase(label);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: testRedisPrefix(label),
    HERALD_ROLE: 'web',
    ...env,
  });
  let module: TestingModule | undefined;
  const close = async () => {
    await module?.close();
    await deleteRedisPrefix(config.redis.prefix);
    await database.drop();
  };
  try {
    module = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database.url, 'public'),
        QueueModule.forRoot(config),
        ...(imports ?? []),
      ],
    }).compile();
    await runMigrations(module.get(DataSource));
    await module.init();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { module, config, database, get: (type) => module!.get(type, { strict: false }), close };
}
