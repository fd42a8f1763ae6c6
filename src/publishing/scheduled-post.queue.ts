import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '../queue/queues.js';

export interface ScheduledPostJob {
  postId: string;
}

/** A delayed job per scheduled post; the sweep catches any that Redis lost. */
@Injectable()
export class ScheduledPostQueue {
  constructor(@InjectQueue(QUEUES.scheduledPosts) private readonly queue: Queue) {}

  async enqueue(postId: string, scheduledAt: Date): Promise<void> {
    await this.queue.add('publish-scheduled', { postId } satisfies ScheduledPostJob, {
      jobId: `${postId}_${scheduledAt.getTime()}`,
      delay: Math.max(0, scheduledAt.getTime() - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }
}
