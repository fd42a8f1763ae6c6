import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { NotificationIngest } from './notification-ingest.js';
import { NotificationPollQueue } from './notification-poll.queue.js';
import { QUEUES } from '../../../queue/queues.js';

@Processor(QUEUES.atprotoPoll, { concurrency: 1 })
export class NotificationPollProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly ingest: NotificationIngest,
    private readonly pollQueue: NotificationPollQueue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pollQueue.schedule();
  }

  async process(): Promise<void> {
    await this.ingest.pollAll();
  }
}
