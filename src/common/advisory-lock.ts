import type { DataSource } from 'typeorm';

/**
 * Runs `work` while holding a session-level PostgreSQL advisory lock on
 * (namespace, key), so web and worker processes never do it twice at once.
 * The lock lives on one pooled connection, released however `work` ends.
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, namespace: string, key: string, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [namespace, key]);
    return await work();
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [namespace, key]).catch(() => undefined);
    await runner.release();
  }
}
