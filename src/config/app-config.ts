import { resolve } from 'node:path';

import { configSchema } from './config.schema.js';

export type HeraldRole = 'all' | 'web' | 'worker';

/** The one typed configuration object; nothing else reads the environment. */
export interface AppConfig {
  role: HeraldRole;
  env: 'production' | 'development' | 'test';
  http: { host: string; port: number; publicUrl: URL };
  dataDir: string;
  database: { url?: string; schema: string; embeddedPort: number; runMigrations: boolean };
  redis: { url: string; prefix: string };
  logLevel: string;
  auth: { sessionTtlHours: number; loginRateLimit: number; loginRateWindowSeconds: number };
  publishing: { sweepIntervalSeconds: number; deadlineSeconds: number; maxAttempts: number };
  media: { maxBytes: number };
  federation: { allowPrivateAddress: boolean };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Empty strings count as unset, so `FOO=` in an env file means "use the default". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const raw = parsed.data;
  if (raw.ALLOW_PRIVATE_ADDRESS && raw.NODE_ENV === 'production') {
    throw new ConfigError(['ALLOW_PRIVATE_ADDRESS: may only be true when NODE_ENV is test or development']);
  }
  return {
    role: raw.HERALD_ROLE,
    env: raw.NODE_ENV,
    http: { host: raw.HOST, port: raw.PORT, publicUrl: new URL(raw.PUBLIC_URL) },
    dataDir: resolve(raw.DATA_DIR),
    database: {
      url: raw.DATABASE_URL,
      schema: raw.DATABASE_SCHEMA,
      embeddedPort: raw.EMBEDDED_POSTGRES_PORT,
      runMigrations: raw.RUN_MIGRATIONS,
    },
    redis: { url: raw.REDIS_URL, prefix: raw.REDIS_PREFIX },
    logLevel: raw.LOG_LEVEL,
    auth: {
      sessionTtlHours: raw.SESSION_TTL_HOURS,
      loginRateLimit: raw.LOGIN_RATE_LIMIT,
      loginRateWindowSeconds: raw.LOGIN_RATE_WINDOW_SECONDS,
    },
    publishing: {
      sweepIntervalSeconds: raw.PUBLICATION_SWEEP_INTERVAL_SECONDS,
      deadlineSeconds: raw.PUBLICATION_DEADLINE_SECONDS,
      maxAttempts: raw.PUBLICATION_MAX_ATTEMPTS,
    },
    media: { maxBytes: raw.MEDIA_MAX_BYTES },
    federation: { allowPrivateAddress: raw.ALLOW_PRIVATE_ADDRESS },
  };
}

