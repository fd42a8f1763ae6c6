import { type DynamicModule, Module } from '@nestjs/common';
import { AudienceModule } from '../../audience/audience.module.js';
import { InboxModule } from '../../inbox/inbox.module.js';
import { MediaModule } from '../../media/media.module.js';
import { ModerationRulesModule } from '../../moderation-rules/moderation-rules.module.js';
import { PostsModule } from '../../posts/posts.module.js';
import { ProfilesModule } from '../../profiles/profiles.module.js';
import { PublishingModule } from '../../publishing/publishing.module.js';
import { TableVersionsModule } from '../../table-versions/table-versions.module.js';
import { ActivityPubAdapter } from './activitypub.adapter.js';
import { ActorKeysRepository } from './actor-keys.repository.js';
import { Delivery } from './delivery/delivery.js';
import { DeliveryProcessor } from './delivery/delivery.processor.js';
import { DeliveryQueue } from './delivery/delivery-queue.js';
import { DeliverySweep } from './delivery/delivery-sweep.js';
import { FanoutCapture } from './delivery/fanout-capture.js';
import { FanoutDeliverer } from './delivery/fanout-deliverer.js';
import { FanoutsRepository } from './delivery/fanouts.repository.js';
import { SigningKeys } from './delivery/signing-keys.js';
import { FedifyKvRepository } from './fedify-kv.repository.js';
import { FederationHost } from './federation-host.js';
import { InboundTargets } from './inbound-targets.js';
import { PostObjects } from './post-objects.js';

/**
 * Everything ActivityPub: Fedify's federation, its stores, the inbox handlers, the publishing adapter,
 * and (in worker processes) the delivery of fan-outs from PostgreSQL.
 */
@Module({})
export class ActivityPubModule {
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: ActivityPubModule,
      imports: [
        PublishingModule,
        PostsModule,
        ProfilesModule,
        MediaModule,
        InboxModule,
        AudienceModule,
        ModerationRulesModule,
        TableVersionsModule,
      ],
      providers: [
        FederationHost,
        FedifyKvRepository,
        ActorKeysRepository,
        InboundTargets,
        PostObjects,
        FanoutsRepository,
        FanoutCapture,
        DeliveryQueue,
        Delivery,
        ActivityPubAdapter,
        ...(options.worker ? [SigningKeys, FanoutDeliverer, DeliveryProcessor, DeliverySweep] : []),
      ],
      exports: [FederationHost],
    };
  }
}
