import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SweepTimer } from '../common/sweep-timer.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobSchedulers } from '../queue/job-schedulers.js';
import { Outbox } from './outbox.js';

/**
 * Re-drives the outbox in every worker process, and re-creates the repeatable
 * jobs, which vanish with a Redis that lost its data. Concurrent sweepers skip
 * each other's rows.
 */
@Injectable()
export class OutboxSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly timer = new SweepTimer(
    'outbox sweep',
    new Logger(OutboxSweep.name),
    () => this.pass(),
    (added) => [{ added }, 'outbox sweep enqueued work'],
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: Outbox,
    private readonly schedulers: JobSchedulers,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role !== 'web') this.timer.start(this.config.publishing.sweepIntervalSeconds);
  }

  onApplicationShutdown(): Promise<void> {
    return this.timer.stop();
  }

  private async pass(): Promise<number> {
    const added = await this.outbox.sweep();
    await this.schedulers.ensureAll();
    return added;
  }
}
