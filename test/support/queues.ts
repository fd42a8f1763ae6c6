import { Queue } from 'bullmq';
import { QUEUES } from '../../src/queue/queues.js';
import { redisConnectionOptions } from '../../src/queue/redis-connection.js';
import { eventually } from './eventually.js';
import type { TestHerald } from './test-herald.js';
import { TEST_REDIS_URL } from './test-redis.js';

/** Herald's publication jobs, its ActivityPub deliveries, then Fedify's queue (received activities). */
export const FEDERATION_QUEUES = [QUEUES.publications, QUEUES.apDelivery, 'fedify'];

/**
 * Resolves once the hub's queues have nothing waiting or running: every job
 * enqueued so far has had its first attempt, so what has not happened will not
 * happen (retries wait as delayed jobs and do not count). Give the queues
 * upstream first: a queue is checked after the ones that feed it are idle.
 */
export async function queuesIdle(hub: TestHerald, names: string[], timeoutMs = 30_000): Promise<void> {
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const queues = names.map((name) => new Queue(name, { prefix: hub.config.redis.prefix, connection }));
  try {
    await eventually(async () => {
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
        if (Object.values(counts).some((count) => count > 0)) return false;
      }
      return true;
    }, timeoutMs);
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
