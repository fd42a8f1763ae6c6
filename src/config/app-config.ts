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
  inbox: { eventRetentionHours: number };
  federation: { allowPrivateAddress: boolean; logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' };
  atproto: AtprotoConfig;
}

export interface AtprotoConfig {
  /** This process embeds the PDS. */
  embedPds: boolean;
  /** The PDS the adapter talks to; null: the embedded one, at this process's own loopback address. */
  pdsUrl: string | null;
  pdsHostname: string;
  plcUrl: string;
  appViewUrl: string;
  appViewDid: string;
  /** Null: generated once and kept under DATA_DIR/pds. */
  adminPassword: string | null;
  jwtSecret: string | null;
  plcRotationKeyHex: string | null;
  inviteRequired: boolean;
  /** Relays told to crawl the PDS, so the network's AppViews see its posts. */
  crawlers: string[];
  pollIntervalSeconds: number;
  /** How far each notification poll reads back past its cursor (see NotificationIngest). */
  notificationOverlapSeconds: number;
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
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** 127.0.0.0/8 and ::1 (as URL.hostname writes it, in brackets). */
function isLoopbackAddress(host: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '::1';
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const raw = parsed.data;
  if (raw.ALLOW_PRIVATE_ADDRESS && raw.NODE_ENV === 'production') {
    throw new ConfigError(['ALLOW_PRIVATE_ADDRESS: may only be true when NODE_ENV is test or development']);
  }
  // A console that can still reconnect (its session lives) must find every event it missed.
  if (raw.INBOX_EVENT_RETENTION_HOURS !== undefined && raw.INBOX_EVENT_RETENTION_HOURS < raw.SESSION_TTL_HOURS) {
    throw new ConfigError([
      `INBOX_EVENT_RETENTION_HOURS: must be at least SESSION_TTL_HOURS (${raw.SESSION_TTL_HOURS}), so a reconnecting console misses nothing`,
    ]);
  }
  if (raw.HERALD_PDS === true && raw.HERALD_ROLE === 'worker') {
    throw new ConfigError(['HERALD_PDS: a worker-only process serves no HTTP, so it cannot hold the PDS']);
  }
  if (raw.ATPROTO_PDS_HOSTNAME && isLoopbackAddress(raw.ATPROTO_PDS_HOSTNAME)) {
    throw new ConfigError(['ATPROTO_PDS_HOSTNAME: a loopback address cannot name a PDS; use localhost for local development']);
  }
  const publicHost = new URL(raw.PUBLIC_URL).hostname;
  // The PDS runs its development mode only on the host name localhost, and outside it refuses loopback hosts.
  const pdsHostname = raw.ATPROTO_PDS_HOSTNAME ?? (isLoopbackAddress(publicHost) ? 'localhost' : publicHost);
  // A PDS on localhost or in tests is invisible to the real network: asking its relay to crawl would only fail.
  const publicPds = pdsHostname !== 'localhost' && raw.NODE_ENV !== 'test';
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
    inbox: { eventRetentionHours: raw.INBOX_EVENT_RETENTION_HOURS ?? raw.SESSION_TTL_HOURS },
    federation: { allowPrivateAddress: raw.ALLOW_PRIVATE_ADDRESS, logLevel: raw.FEDERATION_LOG_LEVEL },
    atproto: {
      embedPds: raw.HERALD_PDS ?? raw.HERALD_ROLE !== 'worker',
      // A process without the PDS reaches it through the public URL unless told otherwise.
      pdsUrl: raw.ATPROTO_PDS_URL ?? (raw.HERALD_PDS === false || raw.HERALD_ROLE === 'worker' ? raw.PUBLIC_URL : null),
      pdsHostname,
      plcUrl: raw.ATPROTO_PLC_URL,
      appViewUrl: raw.ATPROTO_APPVIEW_URL,
      appViewDid: raw.ATPROTO_APPVIEW_DID,
      adminPassword: raw.ATPROTO_ADMIN_PASSWORD ?? null,
      jwtSecret: raw.ATPROTO_JWT_SECRET ?? null,
      plcRotationKeyHex: raw.ATPROTO_PLC_ROTATION_KEY_HEX?.toLowerCase() ?? null,
      inviteRequired: raw.ATPROTO_INVITE_REQUIRED,
      crawlers: raw.ATPROTO_CRAWLERS ?? (publicPds ? ['https://bsky.network'] : []),
      pollIntervalSeconds: raw.ATPROTO_POLL_INTERVAL_SECONDS,
      notificationOverlapSeconds: raw.ATPROTO_NOTIFICATION_OVERLAP_SECONDS,
    },
  };
}
