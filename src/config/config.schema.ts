import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const url = (protocols: string[]) =>
  z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) });

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
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  PUBLICATION_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  PUBLICATION_DEADLINE_SECONDS: z.coerce.number().int().min(0).default(120),
  PUBLICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  RUN_MIGRATIONS: bool.default(true),
  /** Lets federation reach loopback and private addresses: tests and local development only. */
  ALLOW_PRIVATE_ADDRESS: bool.default(false),
});

export type RawConfig = z.infer<typeof configSchema>;
