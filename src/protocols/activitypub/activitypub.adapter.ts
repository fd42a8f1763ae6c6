import type { Activity, Recipient } from '@fedify/vocab';
import { Block, Delete, isActor, PUBLIC_COLLECTION, Tombstone, Undo, Update } from '@fedify/vocab';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { OutgoingHttp } from '../../net/outgoing-http.js';
import type { NetworkFacts } from '../../publishing/network-status.rules.js';
import { PUBLIC_AUDIENCES } from '../../common/audience.js';
import { BlocksRepository } from '../../moderation-rules/blocks.repository.js';
import type { Post } from '../../posts/post.entity.js';
import type { Publication } from '../../posts/publication.entity.js';
import { mentionedAccts } from '../../posts/post-text.js';
import type { Profile } from '../../profiles/profile.entity.js';
import type {
  BlockTarget,
  PostPreview,
  ProfileSyncReason,
  ProtocolAdapter,
  PublicationRef,
  PublishRequest,
  RetractRef,
} from '../../publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../../publishing/protocol-adapters.registry.js';
import { type ActivityPubPublicationRefs, activityPubRefsOf, activityPubReplyRefsOf, type PostObjectRefs } from './activitypub-refs.js';
import { hasDeliverableInboxes } from './actor-inboxes.js';
import { ActorKeysRepository } from './actor-keys.repository.js';
import { Delivery, type SendReceipt } from './delivery/delivery.js';
import { FanoutsRepository } from './delivery/fanouts.repository.js';
import { FederationHost } from './federation-host.js';
import { FedifyKvRepository } from './fedify-kv.repository.js';
import { renderPostHtml, type ResolvedMention } from './post-html.js';
import { createActivityOf, PostObjects } from './post-objects.js';
import { actorIdByWebFinger } from './webfinger.js';

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
    private readonly fanouts: FanoutsRepository,
    private readonly http: OutgoingHttp,
    private readonly kv: FedifyKvRepository,
    private readonly blocks: BlocksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async networkFacts(profile: Profile): Promise<NetworkFacts> {
    return { servers: await this.fanouts.deliveryServers(profile.id, this.config.delivery.breakerThreshold) };
  }

  /** Fedify's cached documents and idempotence records expire; reads skip them, this removes them. */
  async housekeep(): Promise<void> {
    const deleted = await this.kv.deleteExpired();
    if (deleted) this.logger.log({ deleted }, 'removed expired Fedify key-value entries');
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
    let answeredAuthor: string | null = null;
    if (replyTo?.protocol === 'activitypub') {
      const answered = activityPubReplyRefsOf(replyTo);
      inReplyTo = answered.objectId;
      answeredAuthor = answered.authorId;
      if (answered.authorAcct !== null && !mentions.some((mention) => mention.href === answered.authorId)) {
        mentions.push({ acct: answered.authorAcct, href: answered.authorId });
      }
    }
    return { mentions, inReplyTo, answeredAuthor };
  }

  async publish(request: PublishRequest): Promise<PublicationRef> {
    const refs =
      Object.keys(request.publication.remoteRefs).length > 0 ? activityPubRefsOf(request.publication) : await this.reserve(request);
    const object = await this.objects.build(request.profile, request.post, refs);
    const sent = await this.send(request, refs, createActivityOf(object), 'publish');
    return { remoteId: object.id!.href, remoteRefs: refs, settlesLater: sent.settlesLater };
  }

  async update(request: PublishRequest): Promise<PublicationRef> {
    // A retried job finds the fan-out its first try wrote, so the Update goes out once.
    const updatedAt = new Date();
    const object = await this.objects.build(request.profile, request.post, activityPubRefsOf(request.publication), updatedAt);
    const update = new Update({
      id: new URL(`${object.id!.href}#updates/${updatedAt.getTime()}`),
      actor: object.attributionId,
      object,
      tos: object.toIds,
      ccs: object.ccIds,
    });
    const sent = await this.send(request, activityPubRefsOf(request.publication), update, 'update');
    return {
      remoteId: object.id!.href,
      remoteRefs: { updatedAt: updatedAt.toISOString() } satisfies ActivityPubPublicationRefs,
      settlesLater: sent.settlesLater,
    };
  }

  async retract(request: PublishRequest): Promise<RetractRef> {
    const objectId = new URL(request.publication.remoteId ?? this.objects.urls.post(request.profile.handle, request.post.id));
    const refs = activityPubRefsOf(request.publication);
    const privateTo = isPrivate(request.post) ? await this.privateRecipients(request, refs) : null;
    const remove = new Delete({
      id: new URL(`${objectId.href}#delete`),
      actor: new URL(this.objects.urls.profile(request.profile.handle)),
      object: new Tombstone({ id: objectId }),
      tos: privateTo ? privateTo.flatMap((recipient) => (recipient.id ? [recipient.id] : [])) : [PUBLIC_COLLECTION],
    });
    const sent = await this.send(request, refs, remove, 'retract', privateTo);
    return { settlesLater: sent.settlesLater };
  }

  /** Ties a fan-out to the publication's action, so its deliveries settle it (and a retried job finds it). */
  private scopeOf({ publication }: PublishRequest, action: 'publish' | 'update' | 'retract') {
    const publicationScope = { id: publication.id, revision: publication.revision, action };
    return { publication: publicationScope, dedupeKey: `publication:${publication.id}:${publication.revision}:${action}` };
  }

  /** Per activity sent for the post (Create, Update, Delete): audience, outcomes per server, time to the last delivery. */
  async deliveryReport(_profile: Profile, publication: Publication): Promise<Record<string, unknown>> {
    return { objectId: publication.remoteId, activities: await this.fanouts.reportForPublication(publication.id) };
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
    // Blocking again after an unblock sends the same Block id again: a fresh dedupe key lets it out.
    if (recipient) await this.delivery.to(profile, this.blockActivity(profile, target), [recipient], { dedupeKey: `block:${Date.now()}` });
  }

  async unblock(profile: Profile, target: BlockTarget): Promise<void> {
    const recipient = await this.recipient(target.actorId);
    if (!recipient) return;
    const block = this.blockActivity(profile, target);
    const undo = new Undo({ id: new URL(`${block.id!.href}/undo`), actor: block.actorId, object: block });
    await this.delivery.to(profile, undo, [recipient], { dedupeKey: `unblock:${Date.now()}` });
  }

  private blockActivity(profile: Profile, target: BlockTarget): Block {
    const actor = new URL(this.objects.urls.profile(profile.handle));
    return new Block({ id: new URL(`#blocks/${encodeURIComponent(target.actorId)}`, actor), actor, object: new URL(target.actorId) });
  }

  /**
   * A public post goes to the followers (and the answered author); an answer with a private audience
   * only to whom it addresses: the answered author (direct), or they and the people it names (followers-only).
   */
  private async send(
    request: PublishRequest,
    refs: PostObjectRefs,
    activity: Activity,
    action: 'publish' | 'update' | 'retract',
    privateTo?: Recipient[] | null,
  ): Promise<SendReceipt> {
    const scope = this.scopeOf(request, action);
    if (!isPrivate(request.post)) return this.delivery.toFollowers(request.profile, activity, this.replyRecipients(request), scope);
    return this.delivery.to(request.profile, activity, privateTo ?? (await this.privateRecipients(request, refs)), scope);
  }

  /** A direct answer reaches its author's own inbox only; a shared inbox would serve a whole server. */
  private async privateRecipients(request: PublishRequest, refs: PostObjectRefs): Promise<Recipient[]> {
    const author = this.replyRecipients(request).map((recipient) => ({ ...recipient, endpoints: null }));
    if (request.post.audience === 'direct') return author;
    const named = (refs.mentions ?? []).filter((mention) => !author.some((recipient) => recipient.id?.href === mention.href));
    const allowed = await Promise.all(
      named.map(async (mention) => {
        const id = new URL(mention.href);
        const party = { profileId: request.profile.id, protocol: 'activitypub' as const, actorId: id.href, domain: id.hostname };
        return (await this.blocks.isBlocked(party)) ? null : this.recipient(mention.href);
      }),
    );
    return [...author, ...allowed.filter((recipient) => recipient !== null)];
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
    return actor && isActor(actor) && (await hasDeliverableInboxes(this.http, actor, 'delivery')) ? actor : null;
  }

  private async resolveMentions(text: string): Promise<ResolvedMention[]> {
    const ctx = this.host.context();
    const resolved: ResolvedMention[] = [];
    for (const acct of mentionedAccts(text).slice(0, 20)) {
      const actorId = await actorIdByWebFinger(this.http, acct, 5_000).catch(() => null);
      const actor = actorId ? await ctx.lookupObject(actorId, { signal: AbortSignal.timeout(5_000) }).catch(() => null) : null;
      if (actor && isActor(actor) && actor.id) resolved.push({ acct, href: actor.id.href });
      else this.logger.debug({ acct }, 'mention not resolved');
    }
    return resolved;
  }
}

/** An answer to a direct message or a followers-only post: it never goes to the followers. */
function isPrivate(post: Pick<Post, 'audience'>): boolean {
  return !PUBLIC_AUDIENCES.includes(post.audience);
}
