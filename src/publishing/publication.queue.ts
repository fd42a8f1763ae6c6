import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queues.js';
import type { PublicationTicket } from './publications.repository.js';

export interface PublicationJob {
  publicationId: string;
}

export const SWEEP_JOB = 'sweep';
export const PUBLISH_JOB = 'publish';

/**
 * Producer side of the publications queue. One job per publication revision:
 * adding the same ticket twice is a no-op while the first job is still queued.
 */
@Injectable()
export class PublicationQueue {
  constructor(
    @InjectQueue(QUEUES.publications) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(tickets: PublicationTicket[]): Promise<void> {
    if (tickets.length === 0) return;
    const now = Date.now();
    await this.queue.addBulk(
      tickets.map((ticket) => ({
        name: PUBLISH_JOB,
        data: { publicationId: ticket.id } satisfies PublicationJob,
        opts: {
          jobId: `${ticket.id}_${ticket.revision}`,
          delay: Math.max(0, ticket.dueAt.getTime() - now),
          attempts: this.config.publishing.maxAttempts,
          backoff: { type: 'exponential', delay: 2_000 },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  }

  /** A repeatable job: every worker replica shares one schedule, so the sweep runs once per interval. */
  async scheduleSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_JOB,
      { every: this.config.publishing.sweepIntervalSeconds * 1000 },
      { name: SWEEP_JOB, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
