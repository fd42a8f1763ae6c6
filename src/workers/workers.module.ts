import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { AtprotoModule } from '../protocols/atproto/atproto.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ProfileSync } from '../publishing/profile-sync.js';
import { PublicationRunner } from '../publishing/publication-runner.js';
import { PublicationSweep } from '../publishing/publication-sweep.js';
import { PublicationQueue } from '../publishing/publication.queue.js';
import { AtprotoPollProcessor } from './atproto-poll.processor.js';
import { BlockDeliveryProcessor } from './block-delivery.processor.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { ProfileSyncProcessor } from './profile-sync.processor.js';
import { PublicationProcessor } from './publication.processor.js';
import { ScheduledPostProcessor } from './scheduled-post.processor.js';

/** Everything the `worker` role runs: imported only when this process is a worker. */
@Module({
  imports: [PostsModule, ProfilesModule, AtprotoModule, EventLogModule],
  providers: [
    PublicationRunner,
    PublicationSweep,
    ProfileSync,
    PublicationProcessor,
    ScheduledPostProcessor,
    ProfileSyncProcessor,
    BlockDeliveryProcessor,
    AtprotoPollProcessor,
    MaintenanceProcessor,
  ],
})
export class WorkersModule implements OnApplicationBootstrap {
  constructor(private readonly publicationQueue: PublicationQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publicationQueue.scheduleSweep();
  }
}
