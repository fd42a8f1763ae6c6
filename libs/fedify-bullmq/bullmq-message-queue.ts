import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify';
import { getLogger } from '@logtape/logtape';
import { type ConnectionOptions, type JobsOptions, Queue, Worker } from 'bullmq';

export interface BullMqMessageQueueOptions {
  /** BullMQ queue name; every instance with the same name and prefix shares the messages. */
  queueName: string;
  connection: ConnectionOptions;
  /** Redis key prefix (BullMQ's `prefix`). */
  prefix?: string;
  /** Messages one listener handles at the same time. */
  concurrency?: number;
  /**
   * Let BullMQ retry failed messages (exponential backoff) instead of Fedify.
   * Unset: Fedify's own retry policy re-enqueues failed deliveries with a delay.
   */
  retry?: { attempts: number; backoffMs: number };
  /** Finished jobs BullMQ keeps for inspection; old ones are trimmed. */
  keepFinished?: number;
}

const BULK_CHUNK = 500;

/** The category Fedify's own queue drivers use, so an application routing Fedify's records gets these too. */
const logger = getLogger(['fedify', 'bullmq', 'mq']);

/** One message, or a batch of messages carried by one job (see enqueueBatch). */
type Envelope = { message: unknown } | { messages: unknown[] };

/** Messages of one batch handled at the same time. */
const BATCH_CONCURRENCY = 8;

/**
 * A Fedify MessageQueue on BullMQ: delayed messages, bulk enqueue, parallel
 * listeners on any number of processes, optional native retries, and a
 * clean shutdown (listen() resolves once in-flight messages are finished).
 */
export class BullMqMessageQueue implements MessageQueue {
  readonly nativeRetrial: boolean;
  private readonly queue: Queue<Envelope>;
  private readonly workers = new Set<Worker<Envelope>>();

  constructor(private readonly options: BullMqMessageQueueOptions) {
    this.nativeRetrial = options.retry !== undefined;
    this.queue = new Queue<Envelope>(options.queueName, { connection: options.connection, prefix: options.prefix });
    // Unheard, BullMQ writes these to the console, outside the application's log.
    this.queue.on('error', (error) => logger.error('BullMQ queue {queueName} failed: {error}', { queueName: options.queueName, error }));
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.queue.add('message', { message }, this.jobOptions(options));
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const opts = this.jobOptions(options);
    // Fan-out hands over thousands of messages at once; chunks keep each Redis pipeline (and its memory) small.
    for (let start = 0; start < messages.length; start += BULK_CHUNK) {
      await this.queue.addBulk(messages.slice(start, start + BULK_CHUNK).map((message) => ({ name: 'message', data: { message }, opts })));
    }
  }

  /**
   * Many messages as ONE job: one Redis write to add them and one to finish them, where a job each
   * would cost a round trip each (on some machines a socket write costs as much as handling the
   * message). The listener hands them to the handler one by one, as if they were enqueued apart; a
   * message that fails is Fedify's to retry, as ever. A worker that dies mid-batch leaves the job to
   * BullMQ's stalled-job check, which runs the whole batch again: handlers must be idempotent, as
   * Fedify's inbox is (each activity id is marked as processed).
   */
  async enqueueBatch(messages: readonly unknown[]): Promise<void> {
    if (messages.length === 0) return;
    // A finished batch may hold up to a megabyte of messages: not worth keeping for inspection, unlike a failed one.
    await this.queue.add('batch', { messages: [...messages] }, { ...this.jobOptions(), removeOnComplete: true });
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed');
    const ready = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    const delayed = counts.delayed ?? 0;
    return { queued: ready + delayed, ready, delayed };
  }

  listen(handler: (message: unknown) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const worker = new Worker<Envelope>(
      this.options.queueName,
      async (job) => {
        if ('messages' in job.data) await eachWithin(job.data.messages, BATCH_CONCURRENCY, handler);
        else await handler(job.data.message);
      },
      { connection: this.options.connection, prefix: this.options.prefix, concurrency: this.options.concurrency ?? 10 },
    );
    this.workers.add(worker);
    // A failing message is logged by Fedify itself. The worker's own errors (Redis unreachable, a lock it could not
    // renew) would be thrown as unhandled 'error' events: they go where Fedify's records go.
    worker.on('error', (error) =>
      logger.error('BullMQ worker of queue {queueName} failed: {error}', { queueName: this.options.queueName, error }),
    );
    return new Promise<void>((resolve) => {
      const stop = () => {
        this.workers.delete(worker);
        worker.close().then(resolve, resolve);
      };
      if (options.signal?.aborted) stop();
      else options.signal?.addEventListener('abort', stop, { once: true });
    });
  }

  /** Stops every listener of this instance (waiting for running messages) and closes the queue. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.close()));
    this.workers.clear();
    await this.queue.close();
  }

  private jobOptions(options?: MessageQueueEnqueueOptions): JobsOptions {
    const delay = options?.delay ? Math.max(0, Math.round(options.delay.total({ unit: 'millisecond' }))) : 0;
    const keep = this.options.keepFinished ?? 100;
    return {
      delay: delay > 0 ? delay : undefined,
      attempts: this.options.retry?.attempts ?? 1,
      backoff: this.options.retry ? { type: 'exponential', delay: this.options.retry.backoffMs } : undefined,
      // BullMQ reads 0 as "keep everything"; true removes at once.
      removeOnComplete: keep === 0 ? true : keep,
      removeOnFail: keep === 0 ? true : keep,
    };
  }
}

/** Runs `handle` on every item, at most `limit` at a time; every item runs, and the first error is thrown at the end. */
async function eachWithin<T>(items: T[], limit: number, handle: (item: T) => Promise<void> | void): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await handle(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
