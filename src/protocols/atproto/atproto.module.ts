import { type DynamicModule, Module } from '@nestjs/common';
import { AudienceModule } from '../../audience/audience.module.js';
import { InboxModule } from '../../inbox/inbox.module.js';
import { MediaModule } from '../../media/media.module.js';
import { ProfilesModule } from '../../profiles/profiles.module.js';
import { PublishingModule } from '../../publishing/publishing.module.js';
import { AtprotoAdapter } from './atproto.adapter.js';
import { AtprotoAccountsRepository } from './accounts/atproto-accounts.repository.js';
import { PdsAccounts } from './accounts/pds-accounts.js';
import { FirehoseCursorRepository } from './firehose/firehose-cursor.repository.js';
import { FirehoseIngest } from './firehose/firehose-ingest.js';
import { FirehoseSubscription } from './firehose/firehose-subscription.js';
import { AtprotoPostsRepository } from './notifications/atproto-posts.repository.js';
import { FollowerReconciler } from './notifications/follower-reconciler.js';
import { NotificationIngest } from './notifications/notification-ingest.js';
import { NotificationPollProcessor } from './notifications/notification-poll.processor.js';
import { NotificationPollQueue } from './notifications/notification-poll.queue.js';
import { PdsConnection } from './pds/pds-connection.js';
import { BlobUploader } from './records/blob-uploader.js';
import { RelayStatus } from './relay-status.js';

/**
 * Bluesky: the embedded PDS's accounts, the adapter, and reading interactions back in worker processes: from the
 * firehose as they happen, and from the AppView's notifications by a poll that catches up on anything missed.
 */
@Module({})
export class AtprotoModule {
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: AtprotoModule,
      imports: [PublishingModule, MediaModule, ProfilesModule, InboxModule, AudienceModule],
      providers: [
        PdsConnection,
        AtprotoAccountsRepository,
        PdsAccounts,
        BlobUploader,
        AtprotoAdapter,
        RelayStatus,
        AtprotoPostsRepository,
        NotificationIngest,
        NotificationPollQueue,
        FollowerReconciler,
        ...(options.worker ? [NotificationPollProcessor, FirehoseCursorRepository, FirehoseIngest, FirehoseSubscription] : []),
      ],
      exports: [PdsConnection, AtprotoAccountsRepository],
    };
  }
}
