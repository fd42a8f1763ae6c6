import { Global, Module } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { InboxAnswerService } from './inbox-answer.service.js';
import { InboxEvents } from './inbox-events.js';
import { InboxTriageService } from './inbox-triage.service.js';
import { InboxController } from './inbox.controller.js';
import { InboxService } from './inbox.service.js';
import { InboxView } from './inbox.view.js';
import { InteractionsRepository } from './interactions.repository.js';

@Global()
@Module({
  imports: [PostsModule, EventLogModule],
  controllers: [InboxController],
  providers: [InboxService, InboxEvents, InteractionsRepository, InboxView, InboxTriageService, InboxAnswerService],
  exports: [InboxService, InboxEvents, InteractionsRepository, InboxTriageService],
})
export class InboxModule {}
