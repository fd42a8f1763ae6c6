import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module.js';
import { AudienceModule } from '../audience/audience.module.js';
import { MediaModule } from '../media/media.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { PublicPagesController } from './public-pages.controller.js';
import { PublicPostsRepository } from './public-posts.repository.js';
import { PublicProfileService } from './public-profile.service.js';
import { RemoteFollowService } from './remote-follow.service.js';
import { WebFingerClient } from './webfinger.client.js';

/** Public profile pages, post pages and feeds. */
@Module({
  imports: [ProfilesModule, MediaModule, AudienceModule, AnalyticsModule, PublishingModule],
  controllers: [PublicPagesController],
  providers: [PublicProfileService, PublicPostsRepository, RemoteFollowService, WebFingerClient],
})
export class WebModule {}
