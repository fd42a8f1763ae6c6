import { Module } from '@nestjs/common';
import { MediaModule } from '../../media/media.module.js';
import { ProfilesModule } from '../../profiles/profiles.module.js';
import { AtprotoAdapter } from './atproto.adapter.js';
import { AtprotoAccountsRepository } from './accounts/atproto-accounts.repository.js';
import { PdsAccounts } from './accounts/pds-accounts.js';
import { AtprotoPostsRepository } from './notifications/atproto-posts.repository.js';
import { NotificationIngest } from './notifications/notification-ingest.js';
import { NotificationPollQueue } from './notifications/notification-poll.queue.js';
import { PdsConnection } from './pds/pds-connection.js';
import { BlobUploader } from './records/blob-uploader.js';
import { FollowerReconciler } from './notifications/follower-reconciler.js';

/** Bluesky: the embedded PDS's accounts, the adapter, and reading interactions back. */
@Module({
  imports: [MediaModule, ProfilesModule],
  providers: [
    PdsConnection,
    AtprotoAccountsRepository,
    PdsAccounts,
    BlobUploader,
    AtprotoAdapter,
    AtprotoPostsRepository,
    NotificationIngest,
    NotificationPollQueue,
    FollowerReconciler,
  ],
  exports: [PdsConnection, AtprotoAccountsRepository, NotificationIngest, NotificationPollQueue, PdsAccounts],
})
export class AtprotoModule {}
