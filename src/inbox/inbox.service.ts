import { Injectable } from '@nestjs/common';
import { htmlFromText, sanitizeRemoteHtml, textFromHtml } from './content-sanitizer.js';
import { InboxEvents } from './inbox-events.js';
import type { Interaction } from './interaction.entity.js';
import type { InteractionReceived } from './interaction-received.js';
import { InteractionsRepository } from './interactions.repository.js';

/** The one entry point for interactions arriving from any protocol. */
@Injectable()
export class InboxService {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly events: InboxEvents,
  ) {}

  /** Stores an interaction once, however often it is delivered; returns it only when it is new. */
  async receive(received: InteractionReceived): Promise<Interaction | null> {
    const { contentHtml, contentText } = this.content(received);
    const interaction = await this.interactions.insertOnce({
      profileId: received.profileId,
      protocol: received.protocol,
      kind: received.kind,
      remoteId: received.remoteId,
      authorId: received.author.id,
      authorHandle: received.author.handle ?? null,
      authorName: received.author.name ?? null,
      authorAvatarUrl: received.author.avatarUrl ?? null,
      authorUrl: received.author.url ?? null,
      authorDomain: received.author.domain?.toLowerCase() ?? null,
      targetPostId: received.targetPostId ?? null,
      parentRemoteId: received.parentRemoteId ?? null,
      replyRefs: received.replyRefs ?? {},
      contentHtml,
      contentText,
      url: received.url ?? null,
      remoteCreatedAt: received.createdAt ?? null,
    });
    if (interaction) this.events.emit({ type: 'interaction.received', interaction });
    return interaction;
  }

  /** The remote side edited its post (AP Update). */
  async edit(protocol: InteractionReceived['protocol'], remoteId: string, received: Pick<InteractionReceived, 'html' | 'text'>): Promise<void> {
    const { contentHtml, contentText } = this.content(received);
    await this.interactions.updateContent(protocol, remoteId, contentHtml ?? '', contentText ?? '');
    const interaction = await this.interactions.findByRemoteId(protocol, remoteId);
    if (interaction) this.events.emit({ type: 'interaction.updated', interaction });
  }

  /** The remote side deleted or undid it (AP Delete / Undo, AT record deleted). */
  async withdraw(protocol: InteractionReceived['protocol'], remoteId: string): Promise<void> {
    const interaction = await this.interactions.markWithdrawn(protocol, remoteId);
    if (interaction) this.events.emit({ type: 'interaction.withdrawn', interaction });
  }

  private content(received: Pick<InteractionReceived, 'html' | 'text'>): { contentHtml: string | null; contentText: string | null } {
    if (received.html) return { contentHtml: sanitizeRemoteHtml(received.html), contentText: textFromHtml(received.html) };
    if (received.text) return { contentHtml: htmlFromText(received.text), contentText: received.text };
    return { contentHtml: null, contentText: null };
  }
}
