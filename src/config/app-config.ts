import { resolve } from 'node:path';

import { configSchema } from './config.schema.js';

export type HeraldRole = 'all' | 'web' | 'worker';

/** The one typed configuration object; nothing else reads the environment. */
export interface AppConfig {
  role: HeraldRole;
  env: 'production' | 'development' | 'test';
  /** trustProxy: Express's `trust proxy` value; decides which X-Forwarded-For hops count as the client's address. */
  http: { host: string; port: number; publicUrl: URL; trustProxy: false | number | string[] };
  dataDir: string;
  database: { url?: string; schema: string; embeddedPort: number; runMigrations: boolean };
  redis: { url: string; prefix: string };
  logLevel: string;
  auth: { sessionTtlHours: number; loginLimits: LoginLimits };
  publishing: {
    sweepIntervalSeconds: number;
    deadlineSeconds: number;
    maxAttempts: number;
    /** Backoff of a profile's network after a failure (account creation, publishing). */
    networkRetryBaseSeconds: number;
    networkRetryMaxSeconds: number;
    networkLogPeriodSeconds: number;
  };
  /** ActivityPub fan-out: limits, deadlines, retries and the per-host breaker. */
  delivery: {
    concurrency: number;
    perHost: number;
    unrecordedWindow: number;
    timeoutSeconds: number;
    retryBaseSeconds: number;
    maxAttempts: number;
    breakerThreshold: number;
    breakerOpenSeconds: number;
  };
  media: { maxBytes: number };
  inbox: { eventRetentionHours: number };
  federation: {
    allowPrivateAddress: boolean;
    /** `host` or `host:port` entries exempt from the private-address check. */
    allowPrivateHosts: string[];
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
    /** Inbox bodies over this many bytes are refused before they are parsed. */
    inboundBodyLimitBytes: number;
  };
  /** Time limits on requests to other servers (see src/net). */
  outgoing: { connectTimeoutSeconds: number; requestTimeoutSeconds: number };
  atproto: AtprotoConfig;
}

/** Failed logins allowed per window, counted three ways (see LoginRateLimiter). */
export interface LoginLimits {
  perAddressAndAccount: number;
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
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
  /** The subscribeRepos service read for near-real-time interactions (see FirehoseSubscription); null: none. */
  firehoseUrl: string | null;
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

/** Settings whose meaning changed: refused, so an old env file does not silently lose its limit. */
const RENAMED = [
  ['LOGIN_RATE_LIMIT', 'LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT, LOGIN_FAILURES_PER_ACCOUNT and LOGIN_FAILURES_PER_ADDRESS'],
  ['LOGIN_RATE_WINDOW_SECONDS', 'LOGIN_FAILURE_WINDOW_SECONDS'],
] as const;

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const raw = parsed.data;
  const renamed = RENAMED.filter(([old]) => env[old] !== undefined && env[old] !== '');
  if (renamed.length) throw new ConfigError(renamed.map(([old, now]) => `${old}: no longer read; use ${now}`));
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
  // Unset, it follows PORT, so a second hub on another port does not claim the first one's address (0: any free port).
  const publicUrl = raw.PUBLIC_URL ?? `http://localhost:${raw.PORT || 3000}`;
  const publicHost = new URL(publicUrl).hostname;
  // The PDS runs its development mode only on the host name localhost, and outside it refuses loopback hosts.
  const pdsHostname = raw.ATPROTO_PDS_HOSTNAME ?? (isLoopbackAddress(publicHost) ? 'localhost' : publicHost);
  // A PDS on localhost or in tests is invisible to the real network: asking its relay to crawl would only fail.
  const publicPds = pdsHostname !== 'localhost' && raw.NODE_ENV !== 'test';
  return {
    role: raw.HERALD_ROLE,
    env: raw.NODE_ENV,
    http: { host: raw.HOST, port: raw.PORT, publicUrl: new URL(publicUrl), trustProxy: raw.TRUST_PROXY },
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
      loginLimits: {
        perAddressAndAccount: raw.LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT,
        perAccount: raw.LOGIN_FAILURES_PER_ACCOUNT,
        perAddress: raw.LOGIN_FAILURES_PER_ADDRESS,
        windowSeconds: raw.LOGIN_FAILURE_WINDOW_SECONDS,
      },
    },
    publishing: {
      sweepIntervalSeconds: raw.PUBLICATION_SWEEP_INTERVAL_SECONDS,
      deadlineSeconds: raw.PUBLICATION_DEADLINE_SECONDS,
      maxAttempts: raw.PUBLICATION_MAX_ATTEMPTS,
      networkRetryBaseSeconds: raw.NETWORK_RETRY_BASE_SECONDS,
      networkRetryMaxSeconds: raw.NETWORK_RETRY_MAX_SECONDS,
      networkLogPeriodSeconds: raw.NETWORK_LOG_PERIOD_SECONDS,
    },
    delivery: {
      concurrency: raw.AP_DELIVERY_CONCURRENCY,
      perHost: raw.AP_DELIVERY_PER_HOST,
      unrecordedWindow: raw.AP_DELIVERY_UNRECORDED_WINDOW,
      timeoutSeconds: raw.AP_DELIVERY_TIMEOUT_SECONDS,
      retryBaseSeconds: raw.AP_DELIVERY_RETRY_BASE_SECONDS,
      maxAttempts: raw.AP_DELIVERY_MAX_ATTEMPTS,
      breakerThreshold: raw.AP_DELIVERY_BREAKER_THRESHOLD,
      breakerOpenSeconds: raw.AP_DELIVERY_BREAKER_OPEN_SECONDS,
    },
    media: { maxBytes: raw.MEDIA_MAX_BYTES },
    inbox: { eventRetentionHours: raw.INBOX_EVENT_RETENTION_HOURS ?? raw.SESSION_TTL_HOURS },
    federation: {
      allowPrivateAddress: raw.ALLOW_PRIVATE_ADDRESS,
      allowPrivateHosts: raw.ALLOW_PRIVATE_HOSTS,
      logLevel: raw.FEDERATION_LOG_LEVEL,
      inboundBodyLimitBytes: raw.INBOUND_BODY_LIMIT_BYTES,
    },
    outgoing: {
      connectTimeoutSeconds: raw.OUTGOING_CONNECT_TIMEOUT_SECONDS,
      requestTimeoutSeconds: raw.OUTGOING_REQUEST_TIMEOUT_SECONDS,
    },
    atproto: {
      embedPds: raw.HERALD_PDS ?? raw.HERALD_ROLE !== 'worker',
      // A process without the PDS reaches it through the public URL unless told otherwise.
      pdsUrl: raw.ATPROTO_PDS_URL ?? (raw.HERALD_PDS === false || raw.HERALD_ROLE === 'worker' ? publicUrl : null),
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
      // The service's own URL: the subscription appends /xrpc/com.atproto.sync.subscribeRepos.
      firehoseUrl: raw.ATPROTO_FIREHOSE_URL?.replace(/\/+$/, '') ?? null,
    },
  };
}
