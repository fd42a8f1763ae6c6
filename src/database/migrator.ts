import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

// Any constant works; it only has to be the same in every Herald process.
const MIGRATION_LOCK_KEY = 73_120_411;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several
 * replicas starting at once migrate exactly once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY]);
    const schema = (dataSource.options as { schema?: string }).schema;
    if (schema && schema !== 'public') await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Migrates before any module starts: services read their tables as they start
 * (a worker's event-log tail, the sweeps), so on a fresh database the schema
 * must exist first, whichever process role starts first.
 */
export async function migrateDatabase(url: string, schema: string): Promise<string[]> {
  // Two connections: one holds the advisory lock, the other runs the migrations.
  const dataSource = new DataSource({ ...dataSourceOptions(url, schema), extra: { max: 2 } });
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
