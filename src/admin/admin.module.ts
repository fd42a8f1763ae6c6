import { PublishingModule } from '../publishing/publishing.module.js';
import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AudienceModule } from '../audience/audience.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';
import { InboxListRepository } from './inbox-list.repository.js';

/** The staff console under /admin. */
@Module({
  imports: [ProfilesModule, PostsModule, AudienceModule, PublishingModule, AnalyticsModule, AuthModule],
  controllers: [ConsoleController],
  providers: [ConsoleService, ConsoleAssets, InboxListRepository],
})
export class AdminModule {}
