import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Outbox } from '../outbox/outbox.js';
import { InteractionsRepository } from '../inbox/interactions.repository.js';
import { PostsRepository } from '../posts/posts.repository.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import {
  AdapterError,
  failureClassOf,
  type FailureClass,
  type ProtocolAdapter,
  type PublicationRef,
  type PublishRequest,
} from './protocol-adapter.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';
import { NetworkBackoff, NetworkNotReady } from './network-backoff.js';
import type { Publication } from '../posts/publication.entity.js';
import { PublicationsRepository } from '../posts/publications.repository.js';

/**
 * Carries out a publication's pending action through its protocol adapter.
 * Idempotent: a finished or superseded publication is left alone, and the
 * adapter's reserved identifiers are stored before it writes anything.
 */
@Injectable()
export class PublicationRunner implements OnModuleInit {
  private readonly logger = new Logger(PublicationRunner.name);

  constructor(
    private readonly publications: PublicationsRepository,
    private readonly posts: PostsRepository,
    private readonly profiles: ProfilesRepository,
    private readonly adapters: ProtocolAdapterRegistry,
    private readonly interactions: InteractionsRepository,
    private readonly backoff: NetworkBackoff,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    this.outbox.onGiveUp('publication', (payload, message) => this.giveUp(String(payload.publicationId), message));
  }

  /** The sweep stopped re-driving the publication: it is failed, saying so, never "will retry". */
  async giveUp(publicationId: string, message: string): Promise<void> {
    await this.publications.withLock(publicationId, async () => {
      const publication = await this.publications.findById(publicationId);
      if (!publication || publication.state !== 'pending') return;
      await this.publications.recordFailure(publication, `gave up: ${message}`, true);
    });
  }

  /** Throws when the job should be retried; returns when it is done or given up. */
  async run(publicationId: string, finalAttempt: boolean): Promise<void> {
    await this.publications.withLock(publicationId, async () => {
      const publication = await this.publications.findById(publicationId);
      if (!publication || publication.state !== 'pending' || !publication.dueAt) return;
      try {
        await this.carryOut(publication);
      } catch (error) {
        if (error instanceof NetworkNotReady) {
          // Not a failure of this publication: it waits with the network, and its job is put off until then.
          await this.publications.recordWaiting(publication, `waiting: ${error.message}`);
          throw error;
        }
        const failureClass = failureClassOf(error);
        const giveUp = failureClass !== 'retry' || finalAttempt;
        const message = error instanceof Error ? error.message : String(error);
        await this.publications.recordFailure(publication, failureMessage(failureClass, giveUp, message), giveUp);
        this.logger.warn(
          { publicationId, protocol: publication.protocol, action: publication.action, failureClass, giveUp, message },
          'publication failed',
        );
        if (!giveUp) throw error;
      }
    });
  }

  private async carryOut(publication: Publication): Promise<void> {
    const nothingWentOut = !publication.remoteId && Object.keys(publication.remoteRefs).length === 0;
    if (publication.action === 'retract' && nothingWentOut) {
      await this.publications.recordDone(publication, 'retract', null);
      return;
    }
    const adapter = this.adapters.get(publication.protocol);
    if (!adapter) throw new AdapterError(`no ${publication.protocol} adapter is running in this process`, 'retry');
    const request = await this.requestFor(publication);
    // One wait per profile and network: while it is not ready, no publication of the profile tries it.
    await this.backoff.guard(request.profile.id, publication.protocol, 'publish', () => this.carryOutWith(adapter, publication, request));
  }

  private async carryOutWith(adapter: ProtocolAdapter, publication: Publication, request: PublishRequest): Promise<void> {
    switch (publication.action) {
      case 'publish':
        await this.recordOutcome(publication, 'publish', await adapter.publish(await this.reserve(adapter, request)));
        return;
      case 'update':
        await this.recordOutcome(publication, 'update', await adapter.update(request));
        return;
      case 'retract': {
        const outcome = await adapter.retract(request);
        if (outcome?.settlesLater) return;
        await this.publications.recordDone(publication, 'retract', null);
        return;
      }
    }
  }

  private async recordOutcome(publication: Publication, action: 'publish' | 'update', ref: PublicationRef): Promise<void> {
    if (ref.settlesLater) await this.publications.recordSent(publication, ref);
    else await this.publications.recordDone(publication, action, ref);
  }

  private async requestFor(publication: Publication): Promise<PublishRequest> {
    const post = await this.posts.findById(publication.postId);
    if (!post) throw new AdapterError(`post ${publication.postId} no longer exists`, 'permanent');
    const profile = await this.profiles.findById(post.profileId);
    if (!profile) throw new AdapterError(`profile ${post.profileId} no longer exists`, 'permanent');
    let threadParent: Publication | null = null;
    if (post.threadParentId && publication.action === 'publish') {
      threadParent = await this.publications.findByPostAndProtocol(post.threadParentId, publication.protocol);
      // A thread goes out in order: the child waits (and retries) until its parent is out.
      if (threadParent && threadParent.state !== 'published') {
        throw new AdapterError(`waiting for thread parent ${post.threadParentId} to be published`, 'retry');
      }
    }
    const replyTo = post.replyToInteractionId ? await this.interactions.findById(post.replyToInteractionId) : null;
    return { profile, post, publication, threadParent, replyTo };
  }

  private async reserve(adapter: ProtocolAdapter, request: PublishRequest): Promise<PublishRequest> {
    if (!adapter.reserve || Object.keys(request.publication.remoteRefs).length > 0) return request;
    const remoteRefs = await adapter.reserve(request);
    await this.publications.saveRefs(request.publication.id, remoteRefs);
    return { ...request, publication: { ...request.publication, remoteRefs } };
  }
}

/** What staff read beside the state: it never says "retry" on a publication that was given up. */
export function failureMessage(failureClass: FailureClass, giveUp: boolean, message: string): string {
  if (!giveUp) return `will retry: ${message}`;
  if (failureClass === 'retry') return `gave up after repeated failures: ${message}`;
  if (failureClass === 'reauthenticate') return `needs the account to be connected again: ${message}`;
  return `refused: ${message}`;
}
