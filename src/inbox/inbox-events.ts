import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { filter, Observable, Subject } from 'rxjs';
import type { InboxEventRecord, InboxEventType } from './inbox-event.entity.js';
import { InboxEventLogRepository } from './inbox-event-log.repository.js';
import { toInboxItem } from './inbox-item.js';
import type { Interaction } from './interaction.entity.js';

export interface InboxEvent {
  type: InboxEventType;
  interaction: Interaction;
}

const PAGE = 500;
const RELISTEN_DELAY_MS = 1_000;
const after = (id: string, last: string) => BigInt(id) > BigInt(last);

/**
 * Inbox changes as one RxJS stream across processes: every event is written to
 * the inbox_event log, and each process tails the log when PostgreSQL NOTIFYs it.
 */
@Injectable()
export class InboxEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InboxEvents.name);
  private readonly live = new Subject<InboxEventRecord>();
  private lastSeen = '0';
  private pulling: Promise<void> | null = null;
  private pullAgain = false;
  private stopListening?: () => Promise<void>;
  private relisten?: NodeJS.Timeout;
  private destroyed = false;

  constructor(private readonly log: InboxEventLogRepository) {}

  async onModuleInit(): Promise<void> {
    this.lastSeen = await this.log.latestId();
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.relisten);
    await this.stopListening?.();
    await this.pulling;
    this.live.complete();
  }

  /** Pass the change's transaction (a repository's EntityManager) so the event and the change commit together. */
  async emit(event: InboxEvent, transaction?: Parameters<InboxEventLogRepository['append']>[1]): Promise<InboxEventRecord> {
    const { interaction } = event;
    return this.log.append(
      { profileId: interaction.profileId, type: event.type, interactionId: interaction.id, payload: toInboxItem(interaction) as never },
      transaction,
    );
  }

  /**
   * A profile's events with id > afterId from the log, then live ones as they come,
   * with no gap and no duplicate. Without afterId it starts with what happens next.
   */
  stream(profileId: string, afterId?: string): Observable<InboxEventRecord> {
    return new Observable<InboxEventRecord>((subscriber) => {
      let last = afterId ?? this.lastSeen;
      let replaying = true;
      const held: InboxEventRecord[] = [];
      const deliver = (record: InboxEventRecord) => {
        if (!after(record.id, last)) return;
        last = record.id;
        subscriber.next(record);
      };
      // Listen first, then read the log: whatever arrives meanwhile is held and deduplicated by id.
      const subscription = this.live.pipe(filter((record) => record.profileId === profileId)).subscribe({
        next: (record) => (replaying ? held.push(record) : deliver(record)),
        complete: () => subscriber.complete(),
      });
      const replay = async () => {
        for (;;) {
          const page = await this.log.listAfter(last, PAGE, profileId);
          page.forEach(deliver);
          if (page.length < PAGE || subscriber.closed) break;
        }
        replaying = false;
        held.splice(0).forEach(deliver);
      };
      replay().catch((error) => subscriber.error(error));
      return () => subscription.unsubscribe();
    });
  }

  /** (Re)connects the LISTEN; after a lost connection, the catch-up read from lastSeen fills the gap. */
  private async listen(): Promise<void> {
    this.stopListening = await this.log.listen(
      () => this.pull(),
      () => {
        this.logger.warn('inbox event LISTEN connection lost; reconnecting');
        this.scheduleRelisten();
      },
    );
  }

  private scheduleRelisten(): void {
    if (this.destroyed) return;
    this.relisten = setTimeout(() => {
      this.stopListening?.()
        .then(() => this.listen())
        .then(() => this.pull())
        .catch(() => this.scheduleRelisten());
    }, RELISTEN_DELAY_MS);
  }

  /** One read of the log at a time; a NOTIFY during a read triggers one more. */
  private pull(): void {
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = (async () => {
      do {
        this.pullAgain = false;
        const page = await this.log.listAfter(this.lastSeen, PAGE);
        for (const record of page) {
          this.lastSeen = record.id;
          this.live.next(record);
        }
        if (page.length === PAGE) this.pullAgain = true;
      } while (this.pullAgain);
    })()
      .catch((error) =>
        this.logger.error({ message: error instanceof Error ? error.message : String(error) }, 'reading inbox events failed'),
      )
      .finally(() => {
        this.pulling = null;
      });
  }
}
