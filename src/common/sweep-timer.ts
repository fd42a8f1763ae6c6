import type { Logger } from '@nestjs/common';

/**
 * Runs a sweep pass every few seconds: one pass at a time, and a failure said
 * once until a pass works again (an outage must not flood the log). A timer,
 * not a repeatable BullMQ job: sweeps are what recover from a Redis loss.
 */
export class SweepTimer {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private failing = false;

  /** `pass` resolves with how much it did; `done` says so when that is more than nothing. */
  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly pass: () => Promise<number>,
    private readonly done: (count: number) => [Record<string, unknown>, string],
  ) {}

  start(intervalSeconds: number): void {
    this.timer = setInterval(() => this.tick(), intervalSeconds * 1000);
    this.timer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.pass()
      .then((count) => {
        if (this.failing) this.logger.log(`${this.name} works again`);
        this.failing = false;
        if (count > 0) this.logger.log(...this.done(count));
      })
      .catch((error: unknown) => {
        if (!this.failing) this.logger.warn({ message: error instanceof Error ? error.message : String(error) }, `${this.name} failed`);
        this.failing = true;
      })
      .finally(() => (this.running = null));
  }
}
