import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { deleteRedisPrefix, testRedisPrefix } from '../support/test-redis.js';
import { testHeraldEnv } from '../support/test-herald.js';

// Jest runs from the repository's root.
const root = process.cwd();

/**
 * Starts a real Herald process in a role (from the sources, configured by its environment as main.ts is) and
 * returns the packages it loaded. Heavy packages stay out of processes that do not run them (issue 16's memory goals).
 */
async function packagesLoadedBy(env: Record<string, string>): Promise<Set<string>> {
  const label = `roles-${env.HERALD_ROLE}`;
  const database: TestDatabase = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), `herald-${label}-`));
  const prefix = testRedisPrefix(label);
  let child: ChildProcess | undefined;
  try {
    child = spawn(
      process.execPath,
      ['--import', join(root, 'test/support/source-hooks.mjs'), join(root, 'test/support/herald-process.ts')],
      {
        cwd: root,
        env: { PATH: process.env.PATH, ...testHeraldEnv({ dataDir, databaseUrl: database.url, prefix }), ...env },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const message = (predicate: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((done, fail) => {
        const onMessage = (m: Record<string, unknown>) => predicate(m) && (child!.off('message', onMessage), done(m));
        child!.on('message', onMessage);
        child!.once('exit', (code) => fail(new Error(`the Herald process exited with ${code}:\n${stderr.slice(-2000)}`)));
      });
    await message((m) => m.started === true);
    const answer = message((m) => Array.isArray(m.loaded));
    child.send('loaded modules');
    const urls = (await answer).loaded as string[];
    const packages = new Set(
      urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((name) => name !== undefined),
    );
    child.send('stop');
    await once(child, 'exit');
    return packages;
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database.drop();
    await deleteRedisPrefix(prefix);
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('what each role loads', () => {
  it('a hub (role all) loads the embedded PDS', async () => {
    const packages = await packagesLoadedBy({ HERALD_ROLE: 'all' });
    expect(packages.has('@atproto/pds')).toBe(true);
    // The check sees the worker's packages too: BullMQ and Fedify run in a hub.
    expect(packages.has('bullmq')).toBe(true);
  }, 120_000);

  it('a worker-only process loads neither the PDS, nor sharp, nor the firehose reader it was not given', async () => {
    const packages = await packagesLoadedBy({ HERALD_ROLE: 'worker', ATPROTO_PDS_URL: 'http://127.0.0.1:9' });
    expect(packages.has('bullmq')).toBe(true);
    expect(packages.has('@fedify/fedify')).toBe(true);
    expect(packages.has('@atproto/pds')).toBe(false);
    expect(packages.has('sharp')).toBe(false);
    expect(packages.has('@atproto/sync')).toBe(false);
  }, 120_000);

  it('a web process without the PDS (HERALD_PDS=false) does not load it', async () => {
    const packages = await packagesLoadedBy({ HERALD_ROLE: 'web', HERALD_PDS: 'false', ATPROTO_PDS_URL: 'http://127.0.0.1:9' });
    expect(packages.has('@nestjs/platform-express')).toBe(true);
    expect(packages.has('@atproto/pds')).toBe(false);
  }, 120_000);
});
