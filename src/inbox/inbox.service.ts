import { Injectable } from '@nestjs/common';
import { Coalescer } from '../common/coalescer.js';
import type { RemoteParty } from '../moderation-rules/blocks.repository.js';
import { InboundRules } from '../moderation-rules/inbound-rules.js';
import { applyKeywordFilters } from '../moderation-rules/keyword-match.js';
import { TableVersions } from '../table-versions/table-versions.js';
import { boundedRemoteHtml, boundedRemoteText, htmlFromText, plainLabel, safeHttpUrl, textFromHtml } from './content-sanitizer.js';
import { InboxEvents } from './inbox-events.js';
import type { Interaction, Reaction } from './interaction.entity.js';
import type { InteractionReceived } from './interaction-received.js';
import { InteractionsRepository, type WithdrawalScope } from './interactions.repository.js';

/** What an edit or withdrawal asked by a remote author did. */
export type RemoteChange = 'applied' | 'none' | 'not-author';

/** The most receive calls one write takes: one statement of that many rows stays small. */
const MAX_BATCH = 200;

/** A received interaction, sanitised, waiting for the write that stores it. */
interface Arrival {
  values: Partial<Interaction>;
  /** Whom a block would name. */
  party: RemoteParty;
  /** What keyword filters read. */
  text: string;
}

/** One call's outcome in a write: its new interaction (or null), or the error that kept it from being stored. */
type Outcome = { interaction: Interaction | null } | { failure: unknown };

/** The one entry point for interactions arriving from any protocol. */
@Injectable()
export class InboxService {
  /** Concurrent receives are stored together: one transaction, one insert, one event-log append. */
  private readonly intake = new Coalescer<Arrival, Outcome>((arrivals) => this.storeOrSplit(arrivals), MAX_BATCH);

  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly events: InboxEvents,
    private readonly rules: InboundRules,
    private readonly versions: TableVersions,
  ) {}

  /**
   * Stores an interaction once, however often it is delivered; returns it only when it is new.
   * A blocked account or domain is refused here too (null), even if an adapter let it through;
   * keyword filters label or hide it before anyone sees it. Blocks and filters committed before
   * the call apply to it. Concurrent calls share one write (group commit); each gets its own answer.
   */
  async receive(received: InteractionReceived): Promise<Interaction | null> {
    const domain = (received.author.domain ?? hostOf(received.author.id))?.toLowerCase() ?? null;
    const { contentHtml, contentText } = this.content(received);
    const authorName = plainLabel(received.author.name);
    const authorHandle = plainLabel(received.author.handle);
    const outcome = await this.intake.call({
      values: {
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
        remoteCreatedAt: plausibleDate(received.createdAt),
      },
      party: {
        profileId: received.profileId,
        protocol: received.protocol,
        actorId: received.author.id,
        // A domain block names a host; the stored domain keeps a port (localhost:3601) to tell servers apart.
        domain: domain?.replace(/:\d+$/, '') ?? null,
      },
      text: [authorName, authorHandle, contentText].filter(Boolean).join('\n'),
    });
    if ('failure' in outcome) throw outcome.failure;
    return outcome.interaction;
  }

  /**
   * A write that fails is tried again one call at a time, so a row the database refuses fails only
   * its own call, and a lost connection fails each call: every caller gets its error (its job retries).
   */
  private async storeOrSplit(arrivals: Arrival[]): Promise<Outcome[]> {
    try {
      return (await this.store(arrivals)).map((interaction) => ({ interaction }));
    } catch (error) {
      if (arrivals.length === 1) return [{ failure: error }];
      const outcomes: Outcome[] = [];
      for (const arrival of arrivals) {
        outcomes.push(
          await this.store([arrival]).then(
            ([interaction]) => ({ interaction }),
            (failure: unknown) => ({ failure }),
          ),
        );
      }
      return outcomes;
    }
  }

  /** Stores what is new and not refused, with its events, in one transaction; one answer per arrival. */
  private async store(arrivals: Arrival[]): Promise<Array<Interaction | null>> {
    // Read after every call of this write was made: a block or filter committed before a call applies to it.
    const stamp = await this.versions.read();
    const refused = await this.rules.refusedAmong(
      arrivals.map((arrival) => arrival.party),
      stamp,
    );
    const filters = await this.rules.keywordFiltersOf(
      arrivals.map((arrival) => arrival.values.profileId!),
      stamp,
    );
    // The first arrival of a (protocol, remoteId) is stored; a later one in the same write is a redelivery.
    const first = new Map<string, number>();
    const rows: Array<Partial<Interaction>> = [];
    arrivals.forEach((arrival, index) => {
      const key = remoteKey(arrival.values);
      if (refused[index] || first.has(key)) return;
      first.set(key, index);
      const verdict = applyKeywordFilters(filters.get(arrival.values.profileId!) ?? [], arrival.text);
      rows.push({ ...arrival.values, state: verdict.hidden ? 'hidden' : 'new', labels: verdict.labels });
    });
    if (rows.length === 0) return arrivals.map(() => null);
    // One transaction: an interaction is never stored without its event, so the live console and replay see it.
    const stored = await this.interactions.transaction(async (manager) => {
      const inserted = await this.interactions.insertNew(rows, manager);
      // Events in the order the calls came.
      inserted.sort((a, b) => first.get(remoteKey(a))! - first.get(remoteKey(b))!);
      await this.events.emitAll('interaction.received', inserted, manager);
      return new Map(inserted.map((interaction) => [remoteKey(interaction), interaction]));
    });
    return arrivals.map((arrival, index) => {
      const key = remoteKey(arrival.values);
      return first.get(key) === index ? (stored.get(key) ?? null) : null;
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
      // Escaping can make the text several times longer as HTML.
      return { contentHtml: boundedRemoteHtml(htmlFromText(text)), contentText: text };
    }
    return { contentHtml: null, contentText: null };
  }
}

const remoteKey = (interaction: Partial<Interaction>) => `${interaction.protocol} ${interaction.remoteId}`;

/** The host (with its port, if any) of an AP actor id; a DID has none. */
function hostOf(actorId: string): string | null {
  return /^https?:\/\//i.test(actorId) ? (safeHttpUrl(actorId) ? new URL(actorId).host : null) : null;
}

/** Posts on the open web are younger than 1990; a clock may run a day fast. */
const EARLIEST_REMOTE_DATE = Date.UTC(1990, 0, 1);
const REMOTE_CLOCK_SKEW_MS = 24 * 3600_000;

/**
 * A remote `published` date as stored: absent, invalid, or out of any plausible range (year −264440,
 * which PostgreSQL cannot even hold) reads as unknown rather than failing the whole interaction.
 */
export function plausibleDate(date: Date | null | undefined): Date | null {
  const time = date?.getTime();
  if (time === undefined || !Number.isFinite(time)) return null;
  return time >= EARLIEST_REMOTE_DATE && time <= Date.now() + REMOTE_CLOCK_SKEW_MS ? date! : null;
}

/** A reaction's emoji as plain text of emoji length, its image only over http(s). */
function reactionOf(reaction: InteractionReceived['reaction']): Reaction | null {
  const emoji = plainLabel(reaction?.emoji, 64);
  return emoji ? { emoji, imageUrl: safeHttpUrl(reaction?.imageUrl) } : null;
}
