import { Injectable } from '@nestjs/common';
import { BlocksRepository } from '../moderation-rules/blocks.repository.js';
import { KeywordFiltersRepository } from '../moderation-rules/keyword-filters.repository.js';
import { applyKeywordFilters } from '../moderation-rules/keyword-match.js';
import { htmlFromText, plainLabel, safeHttpUrl, sanitizeRemoteHtml, textFromHtml } from './content-sanitizer.js';
import { InboxEvents } from './inbox-events.js';
import type { Interaction } from './interaction.entity.js';
import type { InteractionReceived } from './interaction-received.js';
import { InteractionsRepository, type WithdrawalScope } from './interactions.repository.js';

/** The one entry point for interactions arriving from any protocol. */
@Injectable()
export class InboxService {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly events: InboxEvents,
    private readonly blocks: BlocksRepository,
    private readonly keywordFilters: KeywordFiltersRepository,
  ) {}

  /**
   * Stores an interaction once, however often it is delivered; returns it only when it is new.
   * A blocked account or domain is refused here too (null), even if an adapter let it through;
   * keyword filters label or hide it before anyone sees it.
   */
  async receive(received: InteractionReceived): Promise<Interaction | null> {
    const domain = (received.author.domain ?? hostOf(received.author.id))?.toLowerCase() ?? null;
    if (await this.blocks.isBlocked({ profileId: received.profileId, protocol: received.protocol, actorId: received.author.id, domain }))
      return null;
    const { contentHtml, contentText } = this.content(received);
    const authorName = plainLabel(received.author.name);
    const authorHandle = plainLabel(received.author.handle);
    const filters = await this.keywordFilters.listForProfile(received.profileId);
    const verdict = applyKeywordFilters(filters, [authorName, authorHandle, contentText].filter(Boolean).join('\n'));
    const values: Partial<Interaction> = {
      profileId: received.profileId,
      protocol: received.protocol,
      kind: received.kind,
      remoteId: received.remoteId,
      authorId: received.author.id,
      authorHandle,
      authorName,
      authorAvatarUrl: safeHttpUrl(received.author.avatarUrl),
      authorUrl: safeHttpUrl(received.author.url),
      authorDomain: domain,
      targetPostId: received.targetPostId ?? null,
      parentRemoteId: received.parentRemoteId ?? null,
      replyRefs: received.replyRefs ?? {},
      contentHtml,
      contentText,
      url: safeHttpUrl(received.url),
      remoteCreatedAt: received.createdAt ?? null,
      state: verdict.hidden ? 'hidden' : 'new',
      labels: verdict.labels,
    };
    // One transaction: an interaction is never stored without its event, so the live console and replay see it.
    return this.interactions.transaction(async (manager) => {
      const interaction = await this.interactions.insertOnce(values, manager);
      if (interaction) await this.events.emit({ type: 'interaction.received', interaction }, manager);
      return interaction;
    });
  }

  /** The remote side edited its post (AP Update); only its author's edit applies. */
  async edit(
    protocol: InteractionReceived['protocol'],
    remoteId: string,
    received: Pick<InteractionReceived, 'html' | 'text'>,
    authorId: string,
  ): Promise<void> {
    const { contentHtml, contentText } = this.content(received);
    const interaction = await this.interactions.updateContent(protocol, remoteId, authorId, contentHtml ?? '', contentText ?? '');
    if (interaction) await this.events.emit({ type: 'interaction.updated', interaction });
  }

  /** The remote side deleted or undid it (AP Delete / Undo, AT record deleted); returns whether anything was withdrawn. */
  async withdraw(protocol: InteractionReceived['protocol'], remoteId: string, only?: WithdrawalScope): Promise<boolean> {
    const interaction = await this.interactions.markWithdrawn(protocol, remoteId, only);
    if (interaction) await this.events.emit({ type: 'interaction.withdrawn', interaction });
    return interaction !== null;
  }

  private content(received: Pick<InteractionReceived, 'html' | 'text'>): { contentHtml: string | null; contentText: string | null } {
    if (received.html) return { contentHtml: sanitizeRemoteHtml(received.html), contentText: textFromHtml(received.html) };
    if (received.text) return { contentHtml: htmlFromText(received.text), contentText: received.text };
    return { contentHtml: null, contentText: null };
  }
}

/** The host of an AP actor id; a DID has none. */
function hostOf(actorId: string): string | null {
  return /^https?:\/\//i.test(actorId) ? (safeHttpUrl(actorId) ? new URL(actorId).hostname : null) : null;
}
