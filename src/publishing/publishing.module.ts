import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ProfileSync } from './profile-sync.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';
import { PublicationRunner } from './publication-runner.js';

/**
 * The adapter port and its registry, and what drives adapters: the publication
 * runner and profile sync. Protocol modules register here; processors call in.
 */
@Module({
  imports: [PostsModule, ProfilesModule, InboxModule],
  providers: [ProtocolAdapterRegistry, PublicationRunner, ProfileSync],
  exports: [ProtocolAdapterRegistry, PublicationRunner, ProfileSync],
})
export class PublishingModule {}
