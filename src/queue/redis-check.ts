import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Cannot reach Redis at ${url} (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Herald needs Redis for its queues: run `redis-server --daemonize yes` (Debian: apt-get install redis-server), ' +
        'or `docker compose up -d redis`, and set REDIS_URL.',
    );
    this.name = 'RedisUnavailableError';
  }
}

/** Fails fast with a helpful message instead of letting queue clients retry forever. */
export async function assertRedisReachable(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnavailableError(url.replace(/\/\/[^@]*@/, '//***@'), error);
  } finally {
    client.disconnect();
  }
}
