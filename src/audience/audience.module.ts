import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module.js';
import { ModerationRulesModule } from '../moderation-rules/moderation-rules.module.js';
import { AudienceService } from './audience.service.js';
import { FollowersRepository } from './followers.repository.js';

/** Followers on every network: who they are, who is still following, and their follow events in the inbox. */
@Module({
  imports: [InboxModule, ModerationRulesModule],
  providers: [AudienceService, FollowersRepository],
  exports: [AudienceService, FollowersRepository],
})
export class AudienceModule {}
