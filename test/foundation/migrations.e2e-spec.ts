import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrator.js';
import { migrations } from '../../migrations/index.js';
import { START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestHerald } from '../support/test-herald.js';

describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('migrations');
    dataSource = await new DataSource(dataSourceOptions(database.url, 'public')).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const tables = async () =>
    (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`)).map(
      (row: { table_name: string }) => row.table_name,
    );

  it('builds the whole schema from an empty database', async () => {
    const applied = await runMigrations(dataSource);
    expect(applied).toHaveLength(migrations.length);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'profile',
        'post',
        'publication',
        'follower',
        'interaction',
        'staff_user',
        'audit_event',
        'herald_migrations',
      ]),
    );
  });

  it('is a no-op when run again, even by two processes at once', async () => {
    const [first, second] = await Promise.all([runMigrations(dataSource), runMigrations(dataSource)]);
    expect([...first, ...second]).toEqual([]);
  });

  it('matches the entities exactly (nothing left for synchronize to do)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    const missing = pending.upQueries
      .map((query) => query.query)
      .filter((sql) => !/^(CREATE|DROP) INDEX|ALTER TABLE .* (ALTER COLUMN .* SET DEFAULT|DROP CONSTRAINT|ADD CONSTRAINT)/.test(sql));
    expect(missing).toEqual([]);
  });

  it('rolls all the way back down and up again', async () => {
    for (let i = 0; i < migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual(['herald_migrations']);
    expect(await runMigrations(dataSource)).toHaveLength(migrations.length);
  });
});

describe('a fresh install', () => {
  it(
    'starts with the worker first on an empty database: the schema exists before any service reads it',
    async () => {
      // The worker's services (the event-log tail, the sweeps) query their tables as they start.
      const worker = await startTestHerald('worker-first', { HERALD_ROLE: 'worker' });
      try {
        const applied = await worker.herald.app.get(DataSource).query(`SELECT count(*)::int AS n FROM herald_migrations`);
        expect(applied[0].n).toBe(migrations.length);
      } finally {
        await worker.close();
      }
    },
    START_TIMEOUT_MS,
  );
});
