import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { DeliveryReports } from './delivery-reports.js';
import { DeliveryReportsController } from './delivery-reports.controller.js';
import { ProfileSync } from './profile-sync.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';
import { PublicationRunner } from './publication-runner.js';

/**
 * The adapter port and its registry, and what drives adapters: the publication
 * runner and profile sync. Protocol modules register here; processors call in.
 */
@Module({
  imports: [PostsModule, ProfilesModule, InboxModule],
  controllers: [DeliveryReportsController],
  providers: [ProtocolAdapterRegistry, PublicationRunner, ProfileSync, DeliveryReports],
  exports: [ProtocolAdapterRegistry, PublicationRunner, ProfileSync, DeliveryReports],
})
export class PublishingModule {}
