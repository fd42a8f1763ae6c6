import proxyAddr from 'proxy-addr';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Express's own parser (proxy-addr) checks each entry, so what passes here is what Express applies. */
const trustProxy = z.string().transform((value, context): false | number | string[] => {
  const trimmed = value.trim();
  if (trimmed === 'false') return false;
  if (trimmed === 'true') {
    context.addIssue({ code: 'custom', message: 'true would let any client forge its address; give a hop count or the proxy addresses' });
    return z.NEVER;
  }
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    proxyAddr.compile(entries);
  } catch (error) {
    context.addIssue({ code: 'custom', message: `must be false, a hop count or addresses/CIDRs: ${(error as Error).message}` });
    return z.NEVER;
  }
  return entries;
});

const url = (protocols: string[]) => z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) });

/** Every environment variable Herald reads, with its default. */
export const configSchema = z.object({
  HERALD_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Default: http://localhost:<PORT>. */
  PUBLIC_URL: url(['http', 'https']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .default('public'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'may hold only letters, digits, _ : -')
    .default('herald'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The least severe Fedify record (deliveries, signatures, parsing) written to the log; LOG_LEVEL still applies. */
  FEDERATION_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('warn'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** How long the inbox event log keeps events for reconnecting consoles; default: SESSION_TTL_HOURS. */
  INBOX_EVENT_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .optional(),
  /** Failed logins allowed within LOGIN_FAILURE_WINDOW_SECONDS from one address for one e-mail. */
  LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT: z.coerce.number().int().min(1).default(5),
  /** Failed logins allowed for one e-mail from all addresses together (password guessing spread over a botnet). */
  LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(20),
  /** Failed logins allowed from one address over all e-mails together (one password sprayed over many accounts). */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60)
    .default(15 * 60),
  /**
   * Which proxies may set X-Forwarded-For, as Express's `trust proxy`: `false` (none), a hop count,
   * or a comma-separated list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
   */
  TRUST_PROXY: trustProxy.default(['loopback']),
  PUBLICATION_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  PUBLICATION_DEADLINE_SECONDS: z.coerce.number().int().min(0).default(120),
  PUBLICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** A network that failed for a profile is tried again after this long, doubling per failure up to the maximum. */
  NETWORK_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).default(600),
  NETWORK_RETRY_MAX_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(6 * 3600),
  /** A failing network is named in the log at most once per this period, per profile and network. */
  NETWORK_LOG_PERIOD_SECONDS: z.coerce.number().int().min(1).default(3600),
  /** ActivityPub deliveries in flight per worker process (a hanging inbox holds one until its deadline). */
  AP_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(200),
  /**
   * Deliveries sent whose outcome is not yet written, per worker process: what a killed worker may send twice.
   * Requests unanswered after 250 ms step out of it (the limits above bound them).
   */
  AP_DELIVERY_UNRECORDED_WINDOW: z.coerce.number().int().min(1).max(2000).default(16),
  /** Deliveries in flight to one host at once. */
  AP_DELIVERY_PER_HOST: z.coerce.number().int().min(1).max(100).default(8),
  /** Deadline of one delivery, connection to answer. */
  AP_DELIVERY_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(300).default(10),
  /** First retry after this long; each later one waits 4× longer, at most 12 hours. */
  AP_DELIVERY_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(86_400).default(60),
  /** Attempts before a delivery is given up (the default spans about two and a half days). */
  AP_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Consecutive failures (timeouts included) after which a host's deliveries are held back. */
  AP_DELIVERY_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long a failing host is first held back; it doubles with each further failure, up to an hour. */
  AP_DELIVERY_BREAKER_OPEN_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /** The largest body an ActivityPub inbox reads (Mastodon's limit: 1 MiB); a larger one is answered 413 unread. */
  INBOUND_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  RUN_MIGRATIONS: bool.default(true),
  /** Lets federation reach loopback and private addresses: tests and local development only. */
  ALLOW_PRIVATE_ADDRESS: bool.default(false),
  /** Hosts (`name` or `name:port`, comma-separated) exempt from the private-address check: an operator's internal peers. */
  ALLOW_PRIVATE_HOSTS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/, 'must be a host name or address, with an optional :port')))
    .default([]),
  /** Longest wait for a connection to another server, on every outgoing request. */
  OUTGOING_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** Longest time for one outgoing request to Herald's remote peers, body included. */
  OUTGOING_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Whether this process holds the embedded PDS (its data dir may have only one holder). Default: web and all roles. */
  HERALD_PDS: bool.optional(),
  /** Where Herald's adapter reaches the PDS; default: this process's embedded PDS. Set it on worker-only processes. */
  ATPROTO_PDS_URL: url(['http', 'https']).optional(),
  /** Host name of the embedded PDS; default: PUBLIC_URL's host, or localhost when that is a loopback address. */
  ATPROTO_PDS_HOSTNAME: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name')
    .optional(),
  ATPROTO_PLC_URL: url(['http', 'https']).default('https://plc.directory'),
  ATPROTO_APPVIEW_URL: url(['http', 'https']).default('https://api.bsky.app'),
  ATPROTO_APPVIEW_DID: z
    .string()
    .regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+(#[A-Za-z_]+)?$/, 'must be a DID')
    .default('did:web:api.bsky.app'),
  ATPROTO_ADMIN_PASSWORD: z.string().min(12).optional(),
  ATPROTO_JWT_SECRET: z.string().min(16).optional(),
  /** K-256 private key (hex); generated once under DATA_DIR when not given. */
  ATPROTO_PLC_ROTATION_KEY_HEX: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex digits')
    .optional(),
  ATPROTO_INVITE_REQUIRED: bool.default(true),
  /** Relays the PDS asks to crawl it, comma-separated; default: https://bsky.network for a public host name. */
  ATPROTO_CRAWLERS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url(['http', 'https'])))
    .optional(),
  ATPROTO_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  /** How far each Bluesky poll reads back past its cursor, for records the AppView indexed after their createdAt. */
  ATPROTO_NOTIFICATION_OVERLAP_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60)
    .default(10 * 60),
  /**
   * A relay's (or a PDS's) com.atproto.sync.subscribeRepos, read in worker processes so replies, likes and follows
   * reach the inbox within seconds; the notification poll stays as the catch-up. Unset: the poll alone.
   */
  ATPROTO_FIREHOSE_URL: url(['ws', 'wss']).optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
