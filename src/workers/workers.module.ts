import { Module } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { BlockNoticeProcessor } from './block-notice.processor.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { ProfileSyncProcessor } from './profile-sync.processor.js';
import { PublicationProcessor } from './publication.processor.js';
import { ScheduledPostProcessor } from './scheduled-post.processor.js';

/** The queue consumers of the `worker` role, and nothing else: each hands its job to a feature's service. */
@Module({
  imports: [PublishingModule, PostsModule, ProfilesModule, EventLogModule, OutboxModule],
  providers: [PublicationProcessor, ScheduledPostProcessor, ProfileSyncProcessor, BlockNoticeProcessor, MaintenanceProcessor],
})
export class WorkersModule {}
