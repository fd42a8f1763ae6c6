import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QUEUES } from '../../../queue/queues.js';
import type { FanoutJob } from './delivery-queue.js';
import { FanoutDeliverer } from './fanout-deliverer.js';

/** Several fan-outs at once; each one streams its own deliveries under the deliverer's limits. */
@Processor(QUEUES.apDelivery, { concurrency: 4 })
export class DeliveryProcessor extends WorkerHost {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private lastError = '';

  constructor(private readonly deliverer: FanoutDeliverer) {
    super();
  }

  async process(job: Job<FanoutJob>): Promise<void> {
    await this.deliverer.deliver(job.data.fanoutId);
  }

  /** Redis trouble (a lost job's key, a dropped connection) is said once until it changes; the sweep re-drives what it cost. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    if (error.message === this.lastError) return;
    this.lastError = error.message;
    this.logger.warn({ message: error.message }, 'delivery queue error; the delivery sweep re-drives what it cost');
  }
}
