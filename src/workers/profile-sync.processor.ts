import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxJob, ProfileSyncWork } from '../outbox/outbox-message.js';
import { ProfileSync } from '../publishing/profile-sync.js';
import { QUEUES } from '../queue/queues.js';

@Processor(QUEUES.profileSync)
export class ProfileSyncProcessor extends WorkerHost {
  constructor(
    private readonly profileSync: ProfileSync,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  async process(job: Job<OutboxJob<ProfileSyncWork>>): Promise<void> {
    await this.profileSync.sync(job.data.profileId, job.data.reason);
    await this.outbox.complete(job.data.outboxId);
  }
}
