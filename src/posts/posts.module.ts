import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MediaModule } from '../media/media.module.js';
import { EventLogModule } from '../event-log/event-log.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PostsController } from './posts.controller.js';
import { PostRevisionsRepository } from './post-revisions.repository.js';
import { PostsRepository } from './posts.repository.js';
import { PostsService } from './posts.service.js';
import { PublicationEvents } from './publication-events.js';
import { PublicationsController } from './publications.controller.js';
import { PublicationsRepository } from './publications.repository.js';

/** Canonical posts, their state machine, and their publications (one row per post and network). */
@Module({
  imports: [ProfilesModule, MediaModule, AuditModule, OutboxModule, EventLogModule],
  controllers: [PostsController, PublicationsController],
  providers: [PostsService, PostsRepository, PostRevisionsRepository, PublicationsRepository, PublicationEvents],
  exports: [PostsService, PostsRepository, PublicationsRepository, PublicationEvents],
})
export class PostsModule {}
