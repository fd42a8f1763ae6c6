import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { EventLogRetention } from '../event-log/event-log-retention.js';
import { JobSchedulers } from '../queue/job-schedulers.js';
import { ProtocolAdapterRegistry } from '../publishing/protocol-adapters.registry.js';
import { QUEUES } from '../queue/queues.js';

const EVERY_MS = 15 * 60_000;

/** Hub housekeeping on a repeatable job: one scheduler across all worker processes. */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly events: EventLogRetention,
    private readonly schedulers: JobSchedulers,
    private readonly adapters: ProtocolAdapterRegistry,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedulers.register('maintenance', () =>
      this.queue.upsertJobScheduler(
        'maintenance',
        { every: EVERY_MS },
        { name: 'maintenance', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 20 } } },
      ),
    );
  }

  async process(): Promise<void> {
    await this.events.prune();
    for (const adapter of this.adapters.all()) await adapter.housekeep?.();
  }
}
