import { Injectable } from '@nestjs/common';
import { BlocksRepository } from '../moderation-rules/blocks.repository.js';
import { KeywordFiltersRepository } from '../moderation-rules/keyword-filters.repository.js';
import { applyKeywordFilters } from '../moderation-rules/keyword-match.js';
import { boundedRemoteHtml, boundedRemoteText, htmlFromText, plainLabel, safeHttpUrl, textFromHtml } from './content-sanitizer.js';
import { InboxEvents } from './inbox-events.js';
import type { Interaction, Reaction } from './interaction.entity.js';
import type { InteractionReceived } from './interaction-received.js';
import { InteractionsRepository, type WithdrawalScope } from './interactions.repository.js';

/** What an edit or withdrawal asked by a remote author did. */
export type RemoteChange = 'applied' | 'none' | 'not-author';

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
    // A domain block names a host; the stored domain keeps a port (localhost:3601) to tell servers apart.
    const blockDomain = domain?.replace(/:\d+$/, '') ?? null;
    if (
      await this.blocks.isBlocked({
        profileId: received.profileId,
        protocol: received.protocol,
        actorId: received.author.id,
        domain: blockDomain,
      })
    )
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
      audience: received.audience ?? 'public',
      reaction: reactionOf(received.reaction),
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

  /**
   * The remote side edited its post (AP Update). Only its author's edit applies: another account,
   * even of the same server, gets 'not-author' and changes nothing.
   */
  async edit(
    protocol: InteractionReceived['protocol'],
    remoteId: string,
    received: Pick<InteractionReceived, 'html' | 'text'>,
    authorId: string,
  ): Promise<RemoteChange> {
    const { contentHtml, contentText } = this.content(received);
    const interaction = await this.interactions.updateContent(protocol, remoteId, authorId, contentHtml ?? '', contentText ?? '');
    if (!interaction) return this.unchanged(protocol, remoteId, authorId);
    await this.events.emit({ type: 'interaction.updated', interaction });
    return 'applied';
  }

  /**
   * The remote side deleted or undid it (AP Delete / Undo, AT record deleted). Only its author
   * may: another account gets 'not-author' and withdraws nothing.
   */
  async withdraw(protocol: InteractionReceived['protocol'], remoteId: string, only: WithdrawalScope): Promise<RemoteChange> {
    const interaction = await this.interactions.markWithdrawn(protocol, remoteId, only);
    if (!interaction) return this.unchanged(protocol, remoteId, only.authorId);
    await this.events.emit({ type: 'interaction.withdrawn', interaction });
    return 'applied';
  }

  /** Why an edit or withdrawal changed nothing: someone else's interaction, or none to change. */
  private async unchanged(protocol: string, remoteId: string, authorId: string): Promise<RemoteChange> {
    const stored = await this.interactions.findByRemoteId(protocol, remoteId);
    return stored && stored.authorId !== authorId ? 'not-author' : 'none';
  }

  private content(received: Pick<InteractionReceived, 'html' | 'text'>): { contentHtml: string | null; contentText: string | null } {
    if (received.html)
      return { contentHtml: boundedRemoteHtml(received.html), contentText: boundedRemoteText(textFromHtml(received.html)) };
    if (received.text) {
      const text = boundedRemoteText(received.text);
      return { contentHtml: htmlFromText(text), contentText: text };
    }
    return { contentHtml: null, contentText: null };
  }
}

/** The host (with its port, if any) of an AP actor id; a DID has none. */
function hostOf(actorId: string): string | null {
  return /^https?:\/\//i.test(actorId) ? (safeHttpUrl(actorId) ? new URL(actorId).host : null) : null;
}

/** A reaction's emoji as plain text of emoji length, its image only over http(s). */
function reactionOf(reaction: InteractionReceived['reaction']): Reaction | null {
  const emoji = plainLabel(reaction?.emoji, 64);
  return emoji ? { emoji, imageUrl: safeHttpUrl(reaction?.imageUrl) } : null;
}
