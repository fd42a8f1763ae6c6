import type { Recipient } from '@fedify/vocab';
import { Block, Delete, isActor, PUBLIC_COLLECTION, Tombstone, Undo, Update } from '@fedify/vocab';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Post } from '../../posts/post.entity.js';
import { mentionedAccts } from '../../posts/post-text.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type {
  BlockTarget,
  PostPreview,
  ProfileSyncReason,
  ProtocolAdapter,
  PublicationRef,
  PublishRequest,
} from '../../publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../../publishing/protocol-adapters.registry.js';
import { type ActivityPubPublicationRefs, activityPubRefsOf, activityPubReplyRefsOf, type PostObjectRefs } from './activitypub-refs.js';
import { ActorKeysRepository } from './actor-keys.repository.js';
import { Delivery } from './delivery.js';
import { FederationHost } from './federation-host.js';
import { renderPostHtml, type ResolvedMention } from './post-html.js';
import { createActivityOf, PostObjects } from './post-objects.js';

/** Herald's ActivityPub side: every profile is an actor; posts go out as Create/Update/Delete through Fedify's queue. */
@Injectable()
export class ActivityPubAdapter implements ProtocolAdapter, OnModuleInit {
  readonly protocol = 'activitypub' as const;
  private readonly logger = new Logger(ActivityPubAdapter.name);

  constructor(
    private readonly registry: ProtocolAdapterRegistry,
    private readonly host: FederationHost,
    private readonly keys: ActorKeysRepository,
    private readonly objects: PostObjects,
    private readonly delivery: Delivery,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** Key pairs are made once; an edited profile is re-announced to followers with Update(actor). */
  async syncProfile(profile: Profile, reason: ProfileSyncReason): Promise<void> {
    await this.keys.ensure(profile.id);
    if (reason === 'created') return;
    const actorId = new URL(this.objects.urls.profile(profile.handle));
    const actor = await this.host.requestContext(actorId).getActor(profile.handle);
    if (!actor) return;
    const update = new Update({
      id: new URL(`#updates/${profile.updatedAt.getTime()}`, actor.id!),
      actor: actor.id,
      object: actor,
      to: PUBLIC_COLLECTION,
    });
    await this.delivery.toFollowers(profile, update);
  }

  /** Settles mentions and inReplyTo before anything goes out, so a retry and the object URL render the same. */
  async reserve({ post, threadParent, replyTo }: PublishRequest): Promise<PostObjectRefs> {
    const mentions = await this.resolveMentions(post.text);
    let inReplyTo: string | null = threadParent?.remoteId ?? null;
    if (replyTo?.protocol === 'activitypub') {
      const answered = activityPubReplyRefsOf(replyTo);
      inReplyTo = answered.objectId;
      if (answered.authorAcct !== null && !mentions.some((mention) => mention.href === answered.authorId)) {
        mentions.push({ acct: answered.authorAcct, href: answered.authorId });
      }
    }
    return { mentions, inReplyTo };
  }

  async publish(request: PublishRequest): Promise<PublicationRef> {
    const refs =
      Object.keys(request.publication.remoteRefs).length > 0 ? activityPubRefsOf(request.publication) : await this.reserve(request);
    const object = await this.objects.build(request.profile, request.post, refs);
    const create = createActivityOf(object);
    await this.delivery.toFollowers(request.profile, create, this.replyRecipients(request));
    return { remoteId: object.id!.href, remoteRefs: refs };
  }

  async update(request: PublishRequest): Promise<PublicationRef> {
    const updatedAt = new Date();
    const object = await this.objects.build(request.profile, request.post, activityPubRefsOf(request.publication), updatedAt);
    const update = new Update({
      id: new URL(`${object.id!.href}#updates/${updatedAt.getTime()}`),
      actor: object.attributionId,
      object,
      to: PUBLIC_COLLECTION,
      ccs: object.ccIds,
    });
    await this.delivery.toFollowers(request.profile, update, this.replyRecipients(request));
    return { remoteId: object.id!.href, remoteRefs: { updatedAt: updatedAt.toISOString() } satisfies ActivityPubPublicationRefs };
  }

  async retract(request: PublishRequest): Promise<void> {
    const objectId = new URL(request.publication.remoteId ?? this.objects.urls.post(request.profile.handle, request.post.id));
    const remove = new Delete({
      id: new URL(`${objectId.href}#delete`),
      actor: new URL(this.objects.urls.profile(request.profile.handle)),
      object: new Tombstone({ id: objectId }),
      to: PUBLIC_COLLECTION,
    });
    await this.delivery.toFollowers(request.profile, remove, this.replyRecipients(request));
  }

  async preview(profile: Profile, post: Post): Promise<PostPreview> {
    const mentions = await this.resolveMentions(post.text);
    const rendered = renderPostHtml(post.text, this.objects.tagUrl, mentions);
    const unresolved = mentionedAccts(post.text).filter((acct) => !mentions.some((mention) => mention.acct.toLowerCase() === acct));
    return {
      protocol: 'activitypub',
      parts: [{ text: post.text, html: rendered.html }],
      warnings: unresolved.map((acct) => `@${acct} could not be found; it will be plain text`),
    };
  }

  async block(profile: Profile, target: BlockTarget): Promise<void> {
    const recipient = await this.recipient(target.actorId);
    if (recipient) await this.delivery.to(profile, this.blockActivity(profile, target), [recipient]);
  }

  async unblock(profile: Profile, target: BlockTarget): Promise<void> {
    const recipient = await this.recipient(target.actorId);
    if (!recipient) return;
    const block = this.blockActivity(profile, target);
    const undo = new Undo({ id: new URL(`${block.id!.href}/undo`), actor: block.actorId, object: block });
    await this.delivery.to(profile, undo, [recipient]);
  }

  private blockActivity(profile: Profile, target: BlockTarget): Block {
    const actor = new URL(this.objects.urls.profile(profile.handle));
    return new Block({ id: new URL(`#blocks/${encodeURIComponent(target.actorId)}`, actor), actor, object: new URL(target.actorId) });
  }

  /** The author of the interaction being answered gets the reply even if they do not follow. */
  private replyRecipients({ replyTo }: PublishRequest): Recipient[] {
    if (replyTo?.protocol !== 'activitypub') return [];
    const refs = activityPubReplyRefsOf(replyTo);
    if (refs.authorInbox === null) return [];
    return [
      {
        id: new URL(refs.authorId),
        inboxId: new URL(refs.authorInbox),
        endpoints: refs.authorSharedInbox !== null ? { sharedInbox: new URL(refs.authorSharedInbox) } : null,
      },
    ];
  }

  private async recipient(actorId: string): Promise<Recipient | null> {
    const actor = await this.host
      .context()
      .lookupObject(actorId, { signal: AbortSignal.timeout(10_000) })
      .catch(() => null);
    return actor && isActor(actor) ? actor : null;
  }

  private async resolveMentions(text: string): Promise<ResolvedMention[]> {
    const ctx = this.host.context();
    const resolved: ResolvedMention[] = [];
    for (const acct of mentionedAccts(text).slice(0, 20)) {
      const actor = await ctx.lookupObject(`acct:${acct}`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      if (actor && isActor(actor) && actor.id) resolved.push({ acct, href: actor.id.href });
      else this.logger.debug({ acct }, 'mention not resolved');
    }
    return resolved;
  }
}
