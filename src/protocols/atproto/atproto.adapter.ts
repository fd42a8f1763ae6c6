import type { AtpAgent } from '@atproto/api';
import { AppBskyGraphBlock, AtUri } from '@atproto/api';
import { TID } from '@atproto/common-web';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PublicUrls } from '../../common/public-urls.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { Post } from '../../posts/post.entity.js';
import type { Publication } from '../../posts/publication.entity.js';
import { mentionedHandles } from '../../posts/post-text.js';
import type { Profile } from '../../profiles/profile.entity.js';
import {
  AdapterError,
  type BlockTarget,
  type PostPreview,
  type ProtocolAdapter,
  type PublicationRef,
  type PublishRequest,
} from '../../publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../../publishing/protocol-adapters.registry.js';
import type { NetworkFacts } from '../../publishing/network-status.rules.js';
import { AtprotoAccountsRepository } from './accounts/atproto-accounts.repository.js';
import { PdsAccounts } from './accounts/pds-accounts.js';
import { atprotoRefsOf, atprotoReplyRefsOf, type AtprotoPublicationRefs, type StrongRef } from './atproto-refs.js';
import { BlobUploader } from './records/blob-uploader.js';
import { graphemeCount, POST_GRAPHEME_LIMIT } from './records/graphemes.js';
import { planPostParts } from './records/plan-post-parts.js';
import { toFeedPost } from './records/to-feed-post.js';
import { toProfileRecord } from './records/to-profile-record.js';
import { RelayStatus, type RelayCrawlReport } from './relay-status.js';
import { classifyXrpcError } from './xrpc-errors.js';

const POST = 'app.bsky.feed.post';
const BLOCK = 'app.bsky.graph.block';

/** A profile is an account on the embedded PDS; a canonical post is one feed post or a thread of them. */
@Injectable()
export class AtprotoAdapter implements ProtocolAdapter, OnModuleInit {
  readonly protocol = 'atproto' as const;
  private readonly urls: PublicUrls;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: ProtocolAdapterRegistry,
    private readonly accounts: PdsAccounts,
    private readonly blobs: BlobUploader,
    private readonly accountRows: AtprotoAccountsRepository,
    private readonly relays: RelayStatus,
  ) {
    this.urls = PublicUrls.from(config);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async networkFacts(profile: Profile): Promise<NetworkFacts> {
    const account = await this.accountRows.findByProfile(profile.id);
    return { account: { exists: account !== null, handle: account?.handle ?? null } };
  }

  async syncProfile(profile: Profile): Promise<void> {
    const { agent, account } = await this.accounts.agentFor(profile);
    const mediaIds = [profile.avatarMediaId, profile.bannerMediaId].filter((id): id is string => Boolean(id));
    const uploaded = new Map((await this.blobs.upload(agent, mediaIds)).map(({ media, blob }) => [media.id, blob]));
    const record = toProfileRecord({
      displayName: profile.displayName,
      bio: profile.bio,
      avatar: profile.avatarMediaId ? uploaded.get(profile.avatarMediaId) : undefined,
      banner: profile.bannerMediaId ? uploaded.get(profile.bannerMediaId) : undefined,
    });
    await agent.com.atproto.repo
      .putRecord({ repo: account.did, collection: 'app.bsky.actor.profile', rkey: 'self', record })
      .catch(classifyXrpcError);
  }

  async reserve(request: PublishRequest): Promise<Record<string, unknown>> {
    const parts = this.plan(request.profile, request.post).texts;
    // TIDs, as the PDS itself would choose: Herald chooses them first so a retried write lands on the same keys.
    return { rkeys: parts.map(() => TID.nextStr()) } satisfies AtprotoPublicationRefs;
  }

  async publish(request: PublishRequest): Promise<PublicationRef> {
    const { rkeys } = atprotoRefsOf(request.publication);
    if (!rkeys || rkeys.length === 0) throw new AdapterError('no record keys were reserved before publishing', 'permanent');
    return this.write(request, rkeys);
  }

  async update(request: PublishRequest): Promise<PublicationRef> {
    const parts = this.plan(request.profile, request.post).texts.length;
    const rkeys = [...(atprotoRefsOf(request.publication).rkeys ?? [])];
    while (rkeys.length < parts) rkeys.push(TID.nextStr());
    const ref = await this.write(request, rkeys.slice(0, parts));
    // The edit shortened a thread: the parts past its new end go.
    await this.deleteRecords(request.profile, rkeys.slice(parts));
    return ref;
  }

  async retract(request: PublishRequest): Promise<void> {
    await this.deleteRecords(request.profile, atprotoRefsOf(request.publication).rkeys ?? []);
  }

  /**
   * The record, whether the AppView (through the PDS's proxy) shows it, with its counts, and whether the
   * relays the PDS asks to crawl it know the repo at our latest revision.
   */
  async deliveryReport(profile: Profile, publication: Publication): Promise<Record<string, unknown>> {
    const uri = publication.remoteId;
    // No record: nothing for the AppView or a relay to know yet.
    if (!uri || publication.state === 'retracted') return { uri, cid: publication.remoteCid, appView: null, relay: null };
    const { agent, account } = await this.accounts.agentFor(profile);
    const [answer, relayReport] = await Promise.all([
      agent.app.bsky.feed.getPosts({ uris: [uri] }, { signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => ({
        error: error instanceof Error ? error.message : String(error),
      })),
      this.relayCrawl(agent, account.did),
    ]);
    if ('error' in answer)
      return { uri, cid: publication.remoteCid, appView: { reachable: false, error: answer.error }, relay: relayReport };
    const shown = answer.data.posts[0];
    return {
      uri,
      cid: publication.remoteCid,
      appView: shown
        ? {
            reachable: true,
            shows: true,
            likes: shown.likeCount ?? 0,
            reposts: shown.repostCount ?? 0,
            replies: shown.replyCount ?? 0,
            quotes: shown.quoteCount ?? 0,
          }
        : { reachable: true, shows: false },
      relay: relayReport,
    };
  }

  /** Our repo's latest revision (from the PDS) beside each configured relay's; no relay configured: an empty list. */
  private async relayCrawl(agent: AtpAgent, did: string): Promise<RelayCrawlReport> {
    if (!this.relays.configured) return { ourRev: null, relays: [] };
    const ours = await agent.com.atproto.sync
      .getLatestCommit({ did }, { signal: AbortSignal.timeout(10_000) })
      .then((answer) => answer.data.rev)
      .catch(() => null);
    return { ourRev: ours, relays: await this.relays.crawlState(did, ours) };
  }

  async preview(profile: Profile, post: Post): Promise<PostPreview> {
    const plan = this.plan(profile, post);
    const warnings: string[] = [];
    if (plan.texts.length > 1) warnings.push(`goes out as a thread of ${plan.texts.length} posts`);
    // The post's page has no address before it is saved: name the page, not a made-up id.
    if (plan.card) warnings.push(`ends with a link card to the post’s page on ${new URL(plan.card.uri).host}`);
    if (post.attachments.length > 4) warnings.push('Bluesky shows at most 4 images; the rest are left out');
    return {
      protocol: 'atproto',
      parts: plan.texts.map((text) => ({ text, graphemes: graphemeCount(text), limit: POST_GRAPHEME_LIMIT })),
      warnings,
    };
  }

  async block(profile: Profile, target: BlockTarget): Promise<void> {
    const { agent, account } = await this.accounts.agentFor(profile);
    if ((await this.blockRecords(agent, account.did, target.actorId)).length > 0) return;
    const record: AppBskyGraphBlock.Record = { $type: BLOCK, subject: target.actorId, createdAt: new Date().toISOString() };
    await agent.com.atproto.repo.createRecord({ repo: account.did, collection: BLOCK, record }).catch(classifyXrpcError);
  }

  async unblock(profile: Profile, target: BlockTarget): Promise<void> {
    const { agent, account } = await this.accounts.agentFor(profile);
    for (const rkey of await this.blockRecords(agent, account.did, target.actorId)) {
      await agent.com.atproto.repo.deleteRecord({ repo: account.did, collection: BLOCK, rkey }).catch(classifyXrpcError);
    }
  }

  private plan(profile: Profile, post: Post) {
    return planPostParts(post, profile.longPostMode, this.urls.post(profile.handle, post.id));
  }

  /** Writes every part at its reserved key with putRecord: a retry rewrites the same records, never adds one. */
  private async write(request: PublishRequest, rkeys: string[]): Promise<PublicationRef> {
    const { profile, post } = request;
    const { agent, account } = await this.accounts.agentFor(profile);
    const plan = this.plan(profile, post);
    if (rkeys.length < plan.texts.length) throw new AdapterError('the post grew more parts than record keys were reserved', 'permanent');
    const images = await this.blobs.upload(
      agent,
      post.attachments.map((attachment) => attachment.mediaId),
    );
    const altById = new Map(post.attachments.map((attachment) => [attachment.mediaId, attachment.altText]));
    const mentionDids = await this.resolveMentions(agent, plan.texts.join(' '));
    // Same createdAt on every attempt, so a retried write produces identical records.
    const createdAt = post.publishedAt ?? post.createdAt;
    let reply = this.replyContext(request);
    const parts: StrongRef[] = [];
    for (const [index, text] of plan.texts.entries()) {
      const record = toFeedPost({
        text,
        createdAt: new Date(createdAt.getTime() + index),
        language: post.language,
        contentWarning: post.contentWarning,
        images:
          index === 0
            ? images.map(({ media, blob }) => ({
                blob,
                alt: altById.get(media.id) || media.altText,
                width: media.width,
                height: media.height,
              }))
            : [],
        card: index === 0 ? plan.card : null,
        reply,
        mentionDids,
      });
      const written = await agent.com.atproto.repo
        .putRecord({ repo: account.did, collection: POST, rkey: rkeys[index], record })
        .catch(classifyXrpcError);
      const ref = { uri: written.data.uri, cid: written.data.cid };
      parts.push(ref);
      reply = { root: reply?.root ?? ref, parent: ref };
    }
    const root = this.replyContext(request)?.root ?? parts[0];
    return { remoteId: parts[0].uri, remoteCid: parts[0].cid, remoteRefs: { rkeys, parts, root } satisfies AtprotoPublicationRefs };
  }

  /** Root and parent for the first part: the answered interaction's refs, or the end of the thread it continues. */
  private replyContext(request: PublishRequest): { root: StrongRef; parent: StrongRef } | null {
    if (request.replyTo) {
      if (request.replyTo.protocol !== 'atproto') throw new AdapterError('an answer goes out only on the protocol it answers', 'permanent');
      return atprotoReplyRefsOf(request.replyTo);
    }
    if (request.threadParent) {
      const { root, parts = [] } = atprotoRefsOf(request.threadParent);
      const last = parts.at(-1);
      if (!last) throw new AdapterError('the thread parent has no Bluesky record', 'permanent');
      return { root: root ?? parts[0], parent: last };
    }
    return null;
  }

  private async resolveMentions(agent: AtpAgent, text: string): Promise<Map<string, string>> {
    const dids = new Map<string, string>();
    for (const handle of new Set(mentionedHandles(text))) {
      const resolved = await agent.com.atproto.identity.resolveHandle({ handle }).catch(() => null);
      if (resolved) dids.set(handle, resolved.data.did);
    }
    return dids;
  }

  private async deleteRecords(profile: Profile, rkeys: string[]): Promise<void> {
    if (rkeys.length === 0) return;
    const { agent, account } = await this.accounts.agentFor(profile);
    for (const rkey of rkeys) {
      await agent.com.atproto.repo.deleteRecord({ repo: account.did, collection: POST, rkey }).catch(classifyXrpcError);
    }
  }

  private async blockRecords(agent: AtpAgent, did: string, subject: string): Promise<string[]> {
    const rkeys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await agent.com.atproto.repo.listRecords({ repo: did, collection: BLOCK, limit: 100, cursor }).catch(classifyXrpcError);
      for (const record of page.data.records) {
        const block = AppBskyGraphBlock.validateRecord(record.value);
        if (block.success && block.value.subject === subject) rkeys.push(new AtUri(record.uri).rkey);
      }
      cursor = page.data.records.length === 100 ? page.data.cursor : undefined;
    } while (cursor);
    return rkeys;
  }
}
