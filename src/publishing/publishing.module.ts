import { Global, Module } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ProfileSyncQueue } from './profile-sync.queue.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';
import { PublicationEvents } from './publication-events.js';
import { PublicationQueue } from './publication.queue.js';
import { PublicationsController } from './publications.controller.js';
import { PublicationsRepository } from './publications.repository.js';
import { ScheduledPostQueue } from './scheduled-post.queue.js';

/** The producer side of publishing and the adapter registry; workers live in WorkersModule. */
@Global()
@Module({
  imports: [EventLogModule, ProfilesModule],
  controllers: [PublicationsController],
  providers: [ProtocolAdapterRegistry, PublicationQueue, PublicationsRepository, ScheduledPostQueue, ProfileSyncQueue, PublicationEvents],
  exports: [ProtocolAdapterRegistry, PublicationQueue, PublicationsRepository, ScheduledPostQueue, ProfileSyncQueue, PublicationEvents],
})
export class PublishingModule {}
