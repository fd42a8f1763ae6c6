import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queues.js';
import type { OutboxKind } from './outbox-message.js';
import type { OutboxRow } from './outbox.repository.js';

/** Where an outbox row's job is. */
export type JobState = 'queued' | 'done' | 'gone';

const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const WEEK_SECONDS = 7 * 24 * 3600;

/** Where each kind of outbox work runs, and how its job retries. */
interface Route {
  queue: Queue;
  name: string;
  attempts: number;
  backoffMs: number;
}

/**
 * Turns an outbox row into a BullMQ job whose id is the row's, and tells whether
 * that job is still alive: a job Redis lost, or one that ran out of attempts
 * without finishing the work, is added afresh by the sweep.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly routes: Record<OutboxKind, Route>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectQueue(QUEUES.publications) publications: Queue,
    @InjectQueue(QUEUES.scheduledPosts) scheduledPosts: Queue,
    @InjectQueue(QUEUES.profileSync) profileSync: Queue,
    @InjectQueue(QUEUES.blockDelivery) blockDelivery: Queue,
  ) {
    this.routes = {
      publication: { queue: publications, name: 'publish', attempts: config.publishing.maxAttempts, backoffMs: 2_000 },
      'scheduled-post': { queue: scheduledPosts, name: 'publish-scheduled', attempts: 5, backoffMs: 5_000 },
      'profile-sync': { queue: profileSync, name: 'sync', attempts: 10, backoffMs: 2_000 },
      'block-notice': { queue: blockDelivery, name: 'block-notice', attempts: 10, backoffMs: 5_000 },
    };
  }

  /** Whether the row's job is still on its way, has finished, or is gone (failed for good, or lost with Redis). */
  async jobOf(row: OutboxRow): Promise<JobState> {
    const job = await this.routes[row.kind].queue.getJob(jobIdOf(row));
    const state = job ? await job.getState() : 'unknown';
    if (LIVE_STATES.has(state)) return 'queued';
    return state === 'completed' ? 'done' : 'gone';
  }

  /** Brings a waiting (delayed) job forward to run now; whether there was one. */
  async promote(row: OutboxRow): Promise<boolean> {
    const job = await this.routes[row.kind].queue.getJob(jobIdOf(row));
    if (!job || (await job.getState()) !== 'delayed') return false;
    await job.promote();
    return true;
  }

  /** Adds the row's job, replacing a failed one left under the same id. */
  async add(row: OutboxRow): Promise<void> {
    const route = this.routes[row.kind];
    const jobId = jobIdOf(row);
    if (row.dispatches > 0) await route.queue.remove(jobId);
    const options: JobsOptions = {
      jobId,
      delay: Math.max(0, row.availableAt.getTime() - Date.now()),
      attempts: route.attempts,
      backoff: { type: 'exponential', delay: route.backoffMs },
      removeOnComplete: true,
      removeOnFail: { age: WEEK_SECONDS },
    };
    await route.queue.add(route.name, { ...row.payload, outboxId: row.id }, options);
  }
}

const jobIdOf = (row: OutboxRow) => `outbox-${row.id}`;
