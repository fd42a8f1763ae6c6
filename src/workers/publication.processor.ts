import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PublicationRunner } from '../publishing/publication-runner.js';
import { PublicationSweep } from '../publishing/publication-sweep.js';
import { type PublicationJob, SWEEP_JOB } from '../publishing/publication.queue.js';
import { QUEUES } from '../queue/queues.js';

@Processor(QUEUES.publications, { concurrency: 8 })
export class PublicationProcessor extends WorkerHost {
  constructor(
    private readonly runner: PublicationRunner,
    private readonly sweeper: PublicationSweep,
  ) {
    super();
  }

  async process(job: Job<PublicationJob>): Promise<unknown> {
    if (job.name === SWEEP_JOB) return this.sweeper.sweep();
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.runner.run(job.data.publicationId, finalAttempt);
    return undefined;
  }
}
