import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AudienceModule } from './audience/audience.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DomainExceptionFilter } from './common/domain-exception.filter.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { InboxModule } from './inbox/inbox.module.js';
import { MediaModule } from './media/media.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { NetModule } from './net/net.module.js';
import { PostsModule } from './posts/posts.module.js';
import { PreviewModule } from './preview/preview.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { ActivityPubModule } from './protocols/activitypub/activitypub.module.js';
import { AtprotoModule } from './protocols/atproto/atproto.module.js';
import { PublishingModule } from './publishing/publishing.module.js';
import { QueueModule } from './queue/queue.module.js';
import { WebModule } from './web/web.module.js';
import { WorkersModule } from './workers/workers.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const worker = config.role === 'all' || config.role === 'worker';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        NetModule,
        DatabaseModule.forRoot(databaseUrl, config.database.schema),
        QueueModule.forRoot(config),
        AuditModule,
        AuthModule,
        ProfilesModule,
        MediaModule,
        PostsModule,
        InboxModule,
        AudienceModule,
        ModerationModule,
        PublishingModule,
        PreviewModule,
        HealthModule,
        ActivityPubModule.forRoot({ worker }),
        AnalyticsModule,
        WebModule,
        AdminModule,
        AtprotoModule.forRoot({ worker }),
        ...(worker ? [WorkersModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}
