import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const url = (protocols: string[]) => z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) });

/** Every environment variable Herald reads, with its default. */
export const configSchema = z.object({
  HERALD_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url(['http', 'https']).default('http://localhost:3000'),
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
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  PUBLICATION_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  PUBLICATION_DEADLINE_SECONDS: z.coerce.number().int().min(0).default(120),
  PUBLICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  RUN_MIGRATIONS: bool.default(true),
  /** Lets federation reach loopback and private addresses: tests and local development only. */
  ALLOW_PRIVATE_ADDRESS: bool.default(false),
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
});

export type RawConfig = z.infer<typeof configSchema>;
