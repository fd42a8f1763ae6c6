import { createFederation, type Federation } from '@fedify/fedify';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BullMqMessageQueue } from '../../../libs/fedify-bullmq/index.js';
import { AudienceService } from '../../audience/audience.service.js';
import { FollowersRepository } from '../../audience/followers.repository.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { InboxService } from '../../inbox/inbox.service.js';
import { MediaRepository } from '../../media/media.repository.js';
import { PostsRepository } from '../../posts/posts.repository.js';
import { PublicationsRepository } from '../../posts/publications.repository.js';
import { redisConnectionOptions } from '../../queue/redis-connection.js';
import { registerActor } from './actor.js';
import { ActorKeysRepository } from './actor-keys.repository.js';
import { registerCollections } from './collections.js';
import { FedifyKvRepository } from './fedify-kv.repository.js';
import { InboundTargets } from './inbound-targets.js';
import { registerInboxListeners } from './inbox/listeners.js';
import { registerNodeInfo } from './nodeinfo.js';
import { registerObjects } from './objects.js';
import { registerOutbox } from './outbox.js';
import { PostObjects } from './post-objects.js';

/**
 * The one Fedify Federation of this process. Every role enqueues on the shared
 * BullMQ queue; only worker roles listen, so fan-out runs on Herald's workers.
 */
@Injectable()
export class FederationHost implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly federation: Federation<void>;
  private readonly queue: BullMqMessageQueue;
  private readonly stopQueue = new AbortController();
  private listening: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    kv: FedifyKvRepository,
    keys: ActorKeysRepository,
    targets: InboundTargets,
    audience: AudienceService,
    followers: FollowersRepository,
    inbox: InboxService,
    media: MediaRepository,
    posts: PostsRepository,
    publications: PublicationsRepository,
    postObjects: PostObjects,
  ) {
    this.queue = new BullMqMessageQueue({
      queueName: 'fedify',
      connection: redisConnectionOptions(config.redis.url),
      prefix: config.redis.prefix,
      concurrency: 50,
    });
    this.federation = createFederation<void>({
      kv,
      queue: this.queue,
      manuallyStartQueue: true,
      origin: config.http.publicUrl.origin,
      // Private and loopback addresses are refused unless explicitly allowed (tests, development; never production).
      allowPrivateAddress: config.federation.allowPrivateAddress,
    });
    registerActor(this.federation, { targets, keys, media, mediaUrl: (id) => postObjects.urls.media(id) });
    registerCollections(this.federation, { targets, followers, audience });
    registerObjects(this.federation, { targets, posts, publications, postObjects });
    registerOutbox(this.federation, { targets, posts, publications, postObjects });
    registerNodeInfo(this.federation, targets, '0.1.0');
    registerInboxListeners(this.federation, {
      targets,
      audience,
      followers,
      inbox,
      fetchFresh: getDocumentLoader({ allowPrivateAddress: config.federation.allowPrivateAddress }),
    });
  }

  /** A context for sending outside a request (publishing jobs). */
  context() {
    return this.federation.createContext(this.config.http.publicUrl, undefined);
  }

  /** A request context, for what only dispatchers can build (the actor document). */
  requestContext(url: URL) {
    return this.federation.createContext(new Request(url, { headers: { accept: 'application/activity+json' } }), undefined);
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'web') return;
    this.listening = this.federation.startQueue(undefined, { signal: this.stopQueue.signal });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopQueue.abort();
    await this.listening;
    await this.queue.close();
  }
}
