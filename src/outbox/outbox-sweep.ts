import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Outbox } from './outbox.js';

/**
 * Re-drives the outbox on a timer in every worker process. A timer, not a
 * repeatable BullMQ job: the sweep is what recovers from a Redis loss, so it
 * must not live in Redis. Concurrent sweepers skip each other's rows.
 */
@Injectable()
export class OutboxSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweep.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: Outbox,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'web') return;
    this.timer = setInterval(() => this.tick(), this.config.publishing.sweepIntervalSeconds * 1000);
    this.timer.unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.outbox
      .sweep()
      .then((added) => {
        if (this.failing) this.logger.log('outbox sweep works again');
        this.failing = false;
        if (added > 0) this.logger.log({ added }, 'outbox sweep enqueued work');
      })
      .catch((error: unknown) => {
        // Logged once per outage, not once per tick.
        if (!this.failing) this.logger.warn({ message: error instanceof Error ? error.message : String(error) }, 'outbox sweep failed');
        this.failing = true;
      })
      .finally(() => (this.running = null));
  }
}
