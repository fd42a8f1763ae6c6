import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PostsService } from '../posts/posts.service.js';
import type { ScheduledPostJob } from '../publishing/scheduled-post.queue.js';
import { QUEUES } from '../queue/queues.js';

@Processor(QUEUES.scheduledPosts)
export class ScheduledPostProcessor extends WorkerHost {
  constructor(private readonly posts: PostsService) {
    super();
  }

  async process(job: Job<ScheduledPostJob>): Promise<boolean> {
    return this.posts.publishDue(job.data.postId);
  }
}
