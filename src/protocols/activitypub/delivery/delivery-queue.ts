import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '../../../queue/queues.js';

export interface FanoutJob {
  fanoutId: string;
}

/**
 * Hands fan-outs to the delivery processor. A job only says "look at this
 * fan-out": the rows in PostgreSQL say what is due, so a lost or repeated job
 * costs nothing but a look.
 */
@Injectable()
export class DeliveryQueue {
  private readonly logger = new Logger(DeliveryQueue.name);

  constructor(@InjectQueue(QUEUES.apDelivery) private readonly queue: Queue<FanoutJob>) {}

  /** After commit. Never throws: the delivery sweep finds what could not be enqueued. */
  async start(fanoutId: string, at?: Date): Promise<void> {
    const delay = at ? Math.max(0, at.getTime() - Date.now()) : 0;
    // One job per fan-out and due time: a second ask for the same moment is the same job.
    const jobId = `fanout-${fanoutId}-${at ? at.getTime() : 'now'}`;
    await this.queue
      .add('deliver', { fanoutId }, { jobId, delay, removeOnComplete: true, removeOnFail: { count: 100 } })
      .catch((error: unknown) =>
        this.logger.warn(
          { fanoutId, message: error instanceof Error ? error.message : String(error) },
          'delivery: enqueue failed; the sweep will retry',
        ),
      );
  }

  /**
   * From the sweep: at most one re-drive job per fan-out at a time. A fan-out that only waits its turn
   * behind a long queue looks stalled too, and a new job on every pass would pile up without bound
   * (thousands of no-op jobs after a burst of Follows) and hold back every new fan-out behind them.
   * Never throws.
   */
  async redrive(fanoutId: string): Promise<void> {
    const jobId = `fanout-${fanoutId}-sweep`;
    try {
      // A failed job is kept for a while and would hold the id; a waiting or running one is enough.
      const existing = await this.queue.getJob(jobId);
      if (existing && (await existing.isFailed())) await existing.remove();
      await this.queue.add('deliver', { fanoutId }, { jobId, removeOnComplete: true, removeOnFail: { count: 100 } });
    } catch (error) {
      this.logger.warn(
        { fanoutId, message: error instanceof Error ? error.message : String(error) },
        'delivery: re-drive failed; the next sweep will retry',
      );
    }
  }
}
