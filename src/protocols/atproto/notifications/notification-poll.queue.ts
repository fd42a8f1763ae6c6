import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { JobSchedulers } from '../../../queue/job-schedulers.js';
import { QUEUES } from '../../../queue/queues.js';

/** One repeatable job polls every profile's Bluesky notifications. */
@Injectable()
export class NotificationPollQueue {
  constructor(
    @InjectQueue(QUEUES.atprotoPoll) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulers: JobSchedulers,
  ) {}

  async schedule(): Promise<void> {
    await this.schedulers.register('poll-notifications', () => this.upsert());
  }

  private upsert() {
    return this.queue.upsertJobScheduler(
      'poll-notifications',
      { every: this.config.atproto.pollIntervalSeconds * 1000 },
      {
        name: 'poll',
        data: {},
        opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
      },
    );
  }
}
