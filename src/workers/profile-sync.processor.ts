import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxJob, ProfileSyncWork } from '../outbox/outbox-message.js';
import { ProfileSync, ProfileSyncDeferred } from '../publishing/profile-sync.js';
import { QUEUES } from '../queue/queues.js';

@Processor(QUEUES.profileSync)
export class ProfileSyncProcessor extends WorkerHost {
  constructor(
    private readonly profileSync: ProfileSync,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  async process(job: Job<OutboxJob<ProfileSyncWork>>, token?: string): Promise<void> {
    try {
      await this.profileSync.sync(job.data.profileId, job.data.reason, job.data.protocols);
    } catch (error) {
      if (!(error instanceof ProfileSyncDeferred)) throw error;
      // The networks that were not ready wait, and only they are synced when the job comes back.
      await job.updateData({ ...job.data, protocols: error.protocols });
      await job.moveToDelayed(error.retryAt.getTime(), token);
      throw new DelayedError();
    }
    await this.outbox.complete(job.data.outboxId);
  }
}
