import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SweepTimer } from '../../../common/sweep-timer.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { DeliveryQueue } from './delivery-queue.js';
import { FanoutsRepository } from './fanouts.repository.js';

const BATCH = 500;

/**
 * Finds fan-outs whose due deliveries nobody is working on (their job was
 * lost with Redis, or its worker was killed) and hands them to the queue
 * again, in every worker process.
 */
@Injectable()
export class DeliverySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly timer = new SweepTimer(
    'delivery sweep',
    new Logger(DeliverySweep.name),
    () => this.sweep(),
    (redriven) => [{ redriven }, 'delivery sweep re-drove stalled fan-outs'],
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly fanouts: FanoutsRepository,
    private readonly queue: DeliveryQueue,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role !== 'web') this.timer.start(this.config.publishing.sweepIntervalSeconds);
  }

  onApplicationShutdown(): Promise<void> {
    return this.timer.stop();
  }

  /** One pass; resolves with how many fan-outs it re-drove. */
  async sweep(): Promise<number> {
    const stalled = await this.fanouts.stalled(this.config.publishing.deadlineSeconds, BATCH);
    for (const fanoutId of stalled) await this.queue.redrive(fanoutId);
    return stalled.length;
  }
}
