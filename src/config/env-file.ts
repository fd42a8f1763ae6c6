import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads `.env` from the working directory (or the file ENV_FILE names) into the
 * environment, with Node's own parser; variables already set win, so a process
 * manager or the shell can still override the file. Returns the file read, if any.
 */
export function loadEnvFile(environment: NodeJS.ProcessEnv = process.env): string | null {
  const path = resolve(environment.ENV_FILE ?? '.env');
  if (!existsSync(path)) {
    if (environment.ENV_FILE) throw new Error(`ENV_FILE: no such file: ${path}`);
    return null;
  }
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (environment[name] === undefined) environment[name] = value;
  }
  return path;
}
