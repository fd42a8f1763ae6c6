import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '../queue/queues.js';

export interface ProfileSyncJob {
  profileId: string;
}

/** Pushes a profile's identity (actor document, PDS account and profile record) to each protocol. */
@Injectable()
export class ProfileSyncQueue {
  constructor(@InjectQueue(QUEUES.profileSync) private readonly queue: Queue) {}

  async enqueue(profileId: string): Promise<void> {
    await this.queue.add('sync', { profileId } satisfies ProfileSyncJob, {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }
}
