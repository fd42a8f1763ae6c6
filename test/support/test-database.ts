import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests run against; CI and the developer machines have it on 127.0.0.1 with trust auth. */
export const TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A database of its own for one test suite, dropped afterwards, so suites can run in parallel. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `herald_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: withDatabase(TEST_DATABASE_ADMIN_URL, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
