import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job, type Queue } from 'bullmq';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxJob, PublicationWork } from '../outbox/outbox-message.js';
import { NetworkNotReady } from '../publishing/network-backoff.js';
import { PublicationRunner } from '../publishing/publication-runner.js';
import { QUEUES } from '../queue/queues.js';

/** The repeatable sweep job that earlier versions kept on this queue; the outbox sweep replaced it. */
const RETIRED_SWEEP_SCHEDULER = 'sweep';

@Processor(QUEUES.publications, { concurrency: 8 })
export class PublicationProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly runner: PublicationRunner,
    private readonly outbox: Outbox,
    @InjectQueue(QUEUES.publications) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.removeJobScheduler(RETIRED_SWEEP_SCHEDULER);
  }

  async process(job: Job<OutboxJob<PublicationWork>>, token?: string): Promise<void> {
    if (job.name === RETIRED_SWEEP_SCHEDULER) return;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // Throws while the publication should be retried; returns once it is done or given up.
    try {
      await this.runner.run(job.data.publicationId, finalAttempt);
    } catch (error) {
      if (!(error instanceof NetworkNotReady)) throw error;
      // The network waits: so does the job, without using up an attempt (Try now brings it forward).
      await job.moveToDelayed(error.retryAt.getTime(), token);
      throw new DelayedError();
    }
    await this.outbox.complete(job.data.outboxId);
  }
}
