import { createFederation, type Federation } from '@fedify/fedify';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BullMqMessageQueue } from '../../../libs/fedify-bullmq/index.js';
import { AudienceService } from '../../audience/audience.service.js';
import { FollowersRepository } from '../../audience/followers.repository.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { InboxService } from '../../inbox/inbox.service.js';
import { MediaRepository } from '../../media/media.repository.js';
import { OutgoingHttp } from '../../net/outgoing-http.js';
import { PostsRepository } from '../../posts/posts.repository.js';
import { PublicationsRepository } from '../../posts/publications.repository.js';
import { redisConnectionOptions } from '../../queue/redis-connection.js';
import { registerActor } from './actor.js';
import { ActorKeysRepository } from './actor-keys.repository.js';
import { registerCollections } from './collections.js';
import { documentLoader, documentLoaderFactories } from './document-loaders.js';
import { FedifyKvRepository } from './fedify-kv.repository.js';
import { InboundTargets } from './inbound-targets.js';
import { InboxFastLane } from './inbox/inbox-fast-lane.js';
import { registerInboxListeners } from './inbox/listeners.js';
import { registerNodeInfo } from './nodeinfo.js';
import { registerObjects } from './objects.js';
import { registerOutbox } from './outbox.js';
import { PostObjects } from './post-objects.js';
import { FanoutCapture } from './delivery/fanout-capture.js';
import { DeliveryQueue } from './delivery/delivery-queue.js';
import { preloadedContextLoaderFactory } from './preloaded-contexts.js';

/**
 * The one Fedify Federation of this process. Received activities go through
 * the shared BullMQ queue, which only worker roles listen to; outgoing ones
 * become fan-out rows in PostgreSQL (see delivery/).
 */
@Injectable()
export class FederationHost implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly federation: Federation<void>;
  /** Inbound activities signed the common way by known keys are verified and queued here, without Fedify's handler. */
  readonly fastLane: InboxFastLane;
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
    capture: FanoutCapture,
    deliveries: DeliveryQueue,
    http: OutgoingHttp,
  ) {
    this.queue = new BullMqMessageQueue({
      queueName: 'fedify',
      connection: redisConnectionOptions(config.redis.url),
      prefix: config.redis.prefix,
      concurrency: 50,
    });
    this.federation = createFederation<void>({
      kv,
      // Received activities wait in Redis; outgoing ones are stored in PostgreSQL and sent by Herald's delivery processor.
      queue: { inbox: this.queue, outbox: capture, fanout: capture },
      // Herald's deliverer keeps its own per-host breaker in PostgreSQL.
      circuitBreaker: false,
      manuallyStartQueue: true,
      origin: config.http.publicUrl.origin,
      // Fedify fetches through OutgoingHttp: time limits, and private addresses refused unless allowed (ALLOW_PRIVATE_ADDRESS,
      // ALLOW_PRIVATE_HOSTS) when each connection is made. Its own allowPrivateAddress stays off (it would forbid these factories).
      ...documentLoaderFactories(http, kv),
      // JSON-LD contexts come only from those Fedify ships: a remote @context is never fetched.
      contextLoaderFactory: preloadedContextLoaderFactory,
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
      fetchFresh: documentLoader(http),
      http,
      sendFrom: async (profileId, send) => {
        const stored = await capture.within({ profileId }, send);
        if (stored) await deliveries.start(stored.id);
      },
    });
    this.fastLane = new InboxFastLane({
      federation: this.federation,
      origin: config.http.publicUrl.origin,
      enqueue: (messages) => this.queue.enqueueBatch(messages),
      freshDocumentLoader: documentLoader(http),
      profileExists: async (identifier) => (await targets.profileByHandle(identifier)) !== null,
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
