import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxJob, ScheduledPostWork } from '../outbox/outbox-message.js';
import { PostsService } from '../posts/posts.service.js';
import { QUEUES } from '../queue/queues.js';

@Processor(QUEUES.scheduledPosts)
export class ScheduledPostProcessor extends WorkerHost {
  constructor(
    private readonly posts: PostsService,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  /** A post unscheduled or rescheduled since is left alone by publishDue; either way this work is done. */
  async process(job: Job<OutboxJob<ScheduledPostWork>>): Promise<boolean> {
    const released = await this.posts.publishDue(job.data.postId);
    await this.outbox.complete(job.data.outboxId);
    return released;
  }
}
