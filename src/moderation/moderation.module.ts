import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { ModerationRulesModule } from '../moderation-rules/moderation-rules.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationService } from './moderation.service.js';

/** Blocking and filtering: the rules' write side, with what a block does to followers and the inbox. */
@Module({
  imports: [ModerationRulesModule, AudienceModule, InboxModule, ProfilesModule, AuditModule, OutboxModule],
  controllers: [ModerationController],
  providers: [ModerationService],
})
export class ModerationModule {}
