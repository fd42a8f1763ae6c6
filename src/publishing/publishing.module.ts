import { Global, Module } from '@nestjs/common';
import { ProfileSyncQueue } from './profile-sync.queue.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';
import { PublicationQueue } from './publication.queue.js';
import { PublicationsRepository } from './publications.repository.js';
import { ScheduledPostQueue } from './scheduled-post.queue.js';

/** The producer side of publishing and the adapter registry; workers live in WorkersModule. */
@Global()
@Module({
  providers: [ProtocolAdapterRegistry, PublicationQueue, PublicationsRepository, ScheduledPostQueue, ProfileSyncQueue],
  exports: [ProtocolAdapterRegistry, PublicationQueue, PublicationsRepository, ScheduledPostQueue, ProfileSyncQueue],
})
export class PublishingModule {}
