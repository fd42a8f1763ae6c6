import { Module } from '@nestjs/common';
import { AudienceModule } from '../../audience/audience.module.js';
import { InboxModule } from '../../inbox/inbox.module.js';
import { MediaModule } from '../../media/media.module.js';
import { ModerationRulesModule } from '../../moderation-rules/moderation-rules.module.js';
import { PostsModule } from '../../posts/posts.module.js';
import { ProfilesModule } from '../../profiles/profiles.module.js';
import { PublishingModule } from '../../publishing/publishing.module.js';
import { ActivityPubAdapter } from './activitypub.adapter.js';
import { ActorKeysRepository } from './actor-keys.repository.js';
import { Delivery } from './delivery.js';
import { FedifyKvRepository } from './fedify-kv.repository.js';
import { FederationHost } from './federation-host.js';
import { InboundTargets } from './inbound-targets.js';
import { PostObjects } from './post-objects.js';

/** Everything ActivityPub: Fedify's federation, its stores, the inbox handlers and the publishing adapter. */
@Module({
  imports: [PublishingModule, PostsModule, ProfilesModule, MediaModule, InboxModule, AudienceModule, ModerationRulesModule],
  providers: [FederationHost, FedifyKvRepository, ActorKeysRepository, InboundTargets, PostObjects, Delivery, ActivityPubAdapter],
  exports: [FederationHost],
})
export class ActivityPubModule {}
