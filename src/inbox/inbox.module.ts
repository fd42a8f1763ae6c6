import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EventLogModule } from '../event-log/event-log.module.js';
import { ModerationRulesModule } from '../moderation-rules/moderation-rules.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { TableVersionsModule } from '../table-versions/table-versions.module.js';
import { InboxAnswerService } from './inbox-answer.service.js';
import { InboxEvents } from './inbox-events.js';
import { InboxTriageService } from './inbox-triage.service.js';
import { InboxController } from './inbox.controller.js';
import { InboxService } from './inbox.service.js';
import { InboxQueries } from './inbox.queries.js';
import { InteractionsRepository } from './interactions.repository.js';

/** The unified inbox: intake from every network, triage, answers, and the live event stream. */
@Module({
  imports: [PostsModule, ModerationRulesModule, AuditModule, EventLogModule, TableVersionsModule],
  controllers: [InboxController],
  providers: [InboxService, InboxEvents, InteractionsRepository, InboxQueries, InboxTriageService, InboxAnswerService],
  exports: [InboxService, InboxEvents, InteractionsRepository, InboxTriageService],
})
export class InboxModule {}
