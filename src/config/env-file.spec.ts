import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile } from './env-file.js';

describe('loadEnvFile', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'herald-env-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads the file into the environment, where variables already set win', async () => {
    const file = join(directory, 'herald.env');
    await writeFile(file, 'HERALD_ENV_FILE_TEST_A=from-file\nHERALD_ENV_FILE_TEST_B=from-file\n');
    const environment: NodeJS.ProcessEnv = { ENV_FILE: file, HERALD_ENV_FILE_TEST_B: 'from-shell' };
    expect(loadEnvFile(environment)).toBe(file);
    expect(environment).toMatchObject({ HERALD_ENV_FILE_TEST_A: 'from-file', HERALD_ENV_FILE_TEST_B: 'from-shell' });
  });

  it('is quiet without a .env, and clear when the named file is missing', () => {
    const cwd = process.cwd();
    process.chdir(directory);
    try {
      expect(loadEnvFile({})).toBeNull();
    } finally {
      process.chdir(cwd);
    }
    expect(() => loadEnvFile({ ENV_FILE: join(directory, 'missing.env') })).toThrow('ENV_FILE: no such file');
  });
});
