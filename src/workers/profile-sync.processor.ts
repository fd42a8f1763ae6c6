import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ProfileSync } from '../publishing/profile-sync.js';
import type { ProfileSyncJob } from '../publishing/profile-sync.queue.js';
import { QUEUES } from '../queue/queues.js';

@Processor(QUEUES.profileSync)
export class ProfileSyncProcessor extends WorkerHost {
  constructor(private readonly profileSync: ProfileSync) {
    super();
  }

  async process(job: Job<ProfileSyncJob>): Promise<void> {
    await this.profileSync.sync(job.data.profileId);
  }
}
