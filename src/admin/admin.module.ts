import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';
import { InboxListRepository } from './inbox-list.repository.js';
import { ReachReportRepository } from './reach-report.repository.js';

/** The staff console under /admin. */
@Module({
  imports: [ProfilesModule, PostsModule, AudienceModule],
  controllers: [ConsoleController],
  providers: [ConsoleService, ConsoleAssets, InboxListRepository, ReachReportRepository],
})
export class AdminModule {}
