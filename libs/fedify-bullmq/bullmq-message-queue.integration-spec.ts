import { jest } from '@jest/globals';
import { testMessageQueue } from '@fedify/testing';
import { Temporal } from '@js-temporal/polyfill';
import { configureSync, resetSync, type LogRecord } from '@logtape/logtape';
import { Redis } from 'ioredis';
import { BullMqMessageQueue } from './bullmq-message-queue.js';

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(connection);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

describe('BullMqMessageQueue', () => {
  jest.setTimeout(60_000);

  it('passes Fedify’s MessageQueue conformance test', async () => {
    const prefix = `fedify-bullmq-test-${process.pid}-${Date.now()}`;
    await testMessageQueue(
      () => new BullMqMessageQueue({ queueName: 'conformance', connection, prefix }),
      async ({ mq1, mq2, controller }) => {
        controller.abort();
        await mq1.close();
        await mq2.close();
        await dropPrefix(prefix);
      },
    );
  });

  it('hands every message of a batch (one job) to the handler once, even when one of them fails', async () => {
    const prefix = `fedify-bullmq-batch-${process.pid}-${Date.now()}`;
    const queue = new BullMqMessageQueue({ queueName: 'batch', connection, prefix });
    const controller = new AbortController();
    const seen: number[] = [];
    const messages = Array.from({ length: 100 }, (_, n) => ({ n }));
    const all = new Promise<void>((resolve) => {
      void queue.listen(
        (message) => {
          const { n } = message as { n: number };
          seen.push(n);
          if (seen.length === messages.length) resolve();
          if (n === 7) throw new Error('this one fails');
        },
        { signal: controller.signal },
      );
    });
    await queue.enqueueBatch(messages);
    expect((await queue.getDepth()).queued).toBeLessThanOrEqual(1);
    await all;
    expect([...seen].sort((a, b) => a - b)).toEqual(messages.map(({ n }) => n));
    controller.abort();
    await queue.close();
    await dropPrefix(prefix);
  });

  it('retries a failing message natively when retry is set, then hands it over', async () => {
    const prefix = `fedify-bullmq-retry-${process.pid}-${Date.now()}`;
    const queue = new BullMqMessageQueue({ queueName: 'retry', connection, prefix, retry: { attempts: 3, backoffMs: 10 } });
    expect(queue.nativeRetrial).toBe(true);
    const controller = new AbortController();
    let calls = 0;
    const done = new Promise<void>((resolve) => {
      void queue.listen(
        (message) => {
          calls += 1;
          if (calls < 3) throw new Error('remote down');
          expect(message).toEqual({ id: 'retry-me' });
          resolve();
        },
        { signal: controller.signal },
      );
    });
    await queue.enqueue({ id: 'retry-me' });
    await done;
    expect(calls).toBe(3);
    controller.abort();
    await queue.close();
    await dropPrefix(prefix);
  });

  it('reports delayed messages in its depth and runs them after the delay', async () => {
    const prefix = `fedify-bullmq-depth-${process.pid}-${Date.now()}`;
    const queue = new BullMqMessageQueue({ queueName: 'depth', connection, prefix });
    const started = Date.now();
    await queue.enqueue({ n: 1 }, { delay: Temporal.Duration.from({ milliseconds: 500 }) });
    await queue.enqueueMany([{ n: 2 }, { n: 3 }]);
    expect(await queue.getDepth()).toEqual({ queued: 3, ready: 2, delayed: 1 });
    const controller = new AbortController();
    const seen: Array<{ n: number; at: number }> = [];
    const listening = queue.listen((message) => void seen.push({ ...(message as { n: number }), at: Date.now() - started }), {
      signal: controller.signal,
    });
    while (seen.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.find((entry) => entry.n === 1)!.at).toBeGreaterThanOrEqual(450);
    controller.abort();
    await listening;
    await queue.close();
    await dropPrefix(prefix);
  });

  it("logs its queue's and worker's errors through LogTape under Fedify's category", async () => {
    const records: LogRecord[] = [];
    configureSync({
      reset: true,
      sinks: { capture: (record) => records.push(record) },
      loggers: [
        { category: ['fedify'], sinks: ['capture'], lowestLevel: 'warning' },
        { category: ['logtape', 'meta'], sinks: [], lowestLevel: 'fatal' },
      ],
    });
    // Nothing listens on port 1, and no reconnecting: each connection is refused once, then closes.
    const unreachable = { ...connection, port: 1, retryStrategy: () => null };
    const queue = new BullMqMessageQueue({ queueName: 'unreachable', connection: unreachable, prefix: 'unreachable' });
    const controller = new AbortController();
    const listening = queue.listen(() => undefined, { signal: controller.signal });
    const messages = () => new Set(records.map((record) => record.rawMessage));
    while (messages().size < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await listening;
    await queue.close();
    resetSync();
    expect([...messages()].sort()).toEqual([
      'BullMQ queue {queueName} failed: {error}',
      'BullMQ worker of queue {queueName} failed: {error}',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ category: ['fedify', 'bullmq', 'mq'], level: 'error', properties: { queueName: 'unreachable' } });
      expect(String(record.properties.error)).toContain('ECONNREFUSED');
    }
  });
});
