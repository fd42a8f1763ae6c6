import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PostsService } from '../posts/posts.service.js';
import { PostsRepository } from '../posts/posts.repository.js';
import { PublicationQueue } from './publication.queue.js';
import { PublicationsRepository } from './publications.repository.js';

const BATCH = 500;

/**
 * PostgreSQL is the source of truth for what must still happen: anything
 * pending past its deadline is enqueued again, so a Redis loss or a crash
 * loses nothing. Re-enqueueing a job that still exists is a no-op.
 */
@Injectable()
export class PublicationSweep {
  private readonly logger = new Logger(PublicationSweep.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publications: PublicationsRepository,
    private readonly postsRepository: PostsRepository,
    private readonly posts: PostsService,
    private readonly queue: PublicationQueue,
  ) {}

  async sweep(now = new Date()): Promise<{ scheduledPosts: number; publications: number }> {
    const cutoff = new Date(now.getTime() - this.config.publishing.deadlineSeconds * 1000);
    let scheduledPosts = 0;
    for (const postId of await this.postsRepository.listOverdueScheduled(cutoff, BATCH)) {
      if (await this.posts.publishDue(postId)) scheduledPosts++;
    }
    const tickets = await this.publications.listOverdue(cutoff, BATCH);
    await this.queue.enqueue(tickets);
    if (scheduledPosts || tickets.length)
      this.logger.log({ scheduledPosts, publications: tickets.length }, 'sweep re-enqueued overdue work');
    return { scheduledPosts, publications: tickets.length };
  }
}
