import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { FollowersRepository } from '../audience/followers.repository.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import { InboxTriageService } from '../inbox/inbox-triage.service.js';
import { InteractionsRepository } from '../inbox/interactions.repository.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { Block } from '../moderation-rules/block.entity.js';
import { Outbox, type OutboxReceipt } from '../outbox/outbox.js';
import type { Protocol } from '../common/protocol.js';
import type { EntityManager } from 'typeorm';
import { BlocksRepository } from '../moderation-rules/blocks.repository.js';
import type { CreateBlockDto, CreateKeywordFilterDto } from './moderation.dto.js';
import type { KeywordFilter } from '../moderation-rules/keyword-filter.entity.js';
import { KeywordFiltersRepository } from '../moderation-rules/keyword-filters.repository.js';

export interface BlockResult extends Block {
  /** Followers the block ended and interactions it hid. */
  followersEnded: number;
  interactionsHidden: number;
}

/**
 * Blocks and keyword filters. A block takes effect locally at once (inbound
 * refused by the adapters and by InboxService.receive, followers ended, past
 * interactions hidden, delivery to a blocked domain stopped via blockedDomains());
 * telling the network is a job, so a network failure never undoes the local block.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly blocks: BlocksRepository,
    private readonly keywordFilters: KeywordFiltersRepository,
    private readonly followers: FollowersRepository,
    private readonly interactions: InteractionsRepository,
    private readonly triage: InboxTriageService,
    private readonly profiles: ProfilesRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditRepository,
  ) {}

  async listBlocks(profileId: string | null): Promise<Block[]> {
    if (profileId) await this.assertProfile(profileId);
    return this.blocks.list(profileId);
  }

  /** profileId null: a hub-wide block (admins only; the controller checks the role). */
  async block(profileId: string | null, input: CreateBlockDto, actor: StaffPrincipal): Promise<BlockResult> {
    if (profileId) await this.assertProfile(profileId);
    const domain = input.kind === 'domain';
    const { result, hidden, receipt } = await this.blocks.transaction(async (manager) => {
      const block = await this.blocks.insert(
        {
          profileId,
          kind: input.kind,
          protocol: domain ? null : input.protocol!,
          value: domain ? input.domain!.toLowerCase() : input.actorId!,
          reason: input.reason ?? null,
          createdBy: actor.id,
        },
        manager,
      );
      if (!block) throw new ConflictError('This account or domain is already blocked here', domain ? 'domain' : 'actorId');
      const followersEnded = domain
        ? await this.followers.endForDomain(block.value, profileId, manager)
        : await this.endAccountFollows(profileId, input.protocol!, block.value, manager);
      const hidden = await this.interactions.hideFrom(
        domain ? { profileId, domain: block.value } : { profileId, protocol: block.protocol!, actorId: block.value },
        manager,
      );
      await this.audit.insert(
        {
          actorId: actor.id,
          action: domain ? 'moderation.block_domain' : 'moderation.block_account',
          subjectType: 'block',
          subjectId: block.id,
          details: { profileId, protocol: block.protocol, value: block.value, followersEnded, interactionsHidden: hidden.length },
        },
        manager,
      );
      const receipt = await this.noticeLater(block, 'block', manager);
      return { result: { ...block, followersEnded, interactionsHidden: hidden.length }, hidden, receipt };
    });
    this.outbox.flush(receipt);
    await this.triage.announce(hidden);
    return result;
  }

  /** Lifts a block: inbound is accepted again; hidden interactions stay hidden (a moderator decides). */
  async unblock(profileId: string | null, id: string, actor: StaffPrincipal): Promise<void> {
    const block = await this.blocks.findById(id);
    if (!block || block.profileId !== profileId) throw new NotFoundError('Block', id);
    const receipt = await this.blocks.transaction(async (manager) => {
      await this.blocks.delete(id, manager);
      await this.audit.insert(
        {
          actorId: actor.id,
          action: 'moderation.unblock',
          subjectType: 'block',
          subjectId: id,
          details: { profileId, kind: block.kind, protocol: block.protocol, value: block.value },
        },
        manager,
      );
      return this.noticeLater(block, 'unblock', manager);
    });
    this.outbox.flush(receipt);
  }

  async listKeywordFilters(profileId: string): Promise<KeywordFilter[]> {
    await this.assertProfile(profileId);
    return this.keywordFilters.listForProfile(profileId);
  }

  async addKeywordFilter(profileId: string, input: CreateKeywordFilterDto, actor: StaffPrincipal): Promise<KeywordFilter> {
    await this.assertProfile(profileId);
    const filter = await this.keywordFilters.insert({
      profileId,
      pattern: input.pattern.trim(),
      action: input.action,
      label: input.action === 'label' ? input.label! : null,
      createdBy: actor.id,
    });
    await this.audit.insert({
      actorId: actor.id,
      action: 'moderation.keyword_filter_add',
      subjectType: 'keyword_filter',
      subjectId: filter.id,
      details: { profileId, pattern: filter.pattern, action: filter.action, label: filter.label },
    });
    return filter;
  }

  async removeKeywordFilter(profileId: string, id: string, actor: StaffPrincipal): Promise<void> {
    if (!(await this.keywordFilters.delete(profileId, id))) throw new NotFoundError('Keyword filter', id);
    await this.audit.insert({
      actorId: actor.id,
      action: 'moderation.keyword_filter_remove',
      subjectType: 'keyword_filter',
      subjectId: id,
      details: { profileId },
    });
  }

  private async endAccountFollows(profileId: string | null, protocol: Protocol, actorId: string, manager: EntityManager): Promise<number> {
    const profileIds = profileId ? [profileId] : (await this.profiles.list()).map((profile) => profile.id);
    let ended = 0;
    for (const id of profileIds) if (await this.followers.end(id, protocol, actorId, manager)) ended++;
    return ended;
  }

  /**
   * An account block on one profile is also told to the network (AP Block, Bluesky block record),
   * as outbox work: a network or Redis failure never undoes the local block, and the notice is never lost.
   */
  private async noticeLater(block: Block, action: 'block' | 'unblock', manager: EntityManager): Promise<OutboxReceipt | null> {
    if (block.kind !== 'account' || !block.profileId || !block.protocol) return null;
    const payload = { action, profileId: block.profileId, protocol: block.protocol as Protocol, actorId: block.value };
    return this.outbox.write([{ kind: 'block-notice', payload }], manager);
  }

  private async assertProfile(profileId: string): Promise<void> {
    if (!(await this.profiles.findById(profileId))) throw new NotFoundError('Profile', profileId);
  }
}
