import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { filter, Observable, Subject } from 'rxjs';
import { EVENT_TOPICS, type EventLogRecord, type EventTopic } from './event-log.entity.js';
import { EventLogRepository } from './event-log.repository.js';

const PAGE = 500;
const RELISTEN_DELAY_MS = 1_000;
const after = (id: string, last: string) => BigInt(id) > BigInt(last);

/**
 * The event log as RxJS streams across processes: every change is written to
 * the event_log table, and each process tails it when PostgreSQL NOTIFYs it.
 */
@Injectable()
export class EventLogTail implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventLogTail.name);
  private readonly live = new Subject<EventLogRecord>();
  private readonly lastSeen = new Map<EventTopic, string>();
  private readonly pulling = new Map<EventTopic, Promise<void>>();
  private readonly pullAgain = new Set<EventTopic>();
  private stopListening?: () => Promise<void>;
  private relisten?: NodeJS.Timeout;
  private destroyed = false;

  constructor(private readonly log: EventLogRepository) {}

  async onModuleInit(): Promise<void> {
    for (const topic of EVENT_TOPICS) this.lastSeen.set(topic, await this.log.latestId(topic));
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.relisten);
    await this.stopListening?.();
    await Promise.all(this.pulling.values());
    this.live.complete();
  }

  /** Where a topic's log ends now: a page rendered after this call can stream from here and miss nothing. */
  position(topic: EventTopic): Promise<string> {
    return this.log.latestId(topic);
  }

  /**
   * A profile's events of one topic with id > afterId from the log, then live ones as they
   * come, with no gap and no duplicate. Without afterId it starts with what happens next.
   * The live subscription is in place when this returns, before the replay has read anything.
   */
  stream(topic: EventTopic, profileId: string, afterId?: string): Observable<EventLogRecord> {
    return new Observable<EventLogRecord>((subscriber) => {
      let last = afterId ?? this.lastSeen.get(topic) ?? '0';
      let replaying = true;
      const held: EventLogRecord[] = [];
      const deliver = (record: EventLogRecord) => {
        if (!after(record.id, last)) return;
        last = record.id;
        subscriber.next(record);
      };
      // Listen first, then read the log: whatever arrives meanwhile is held and deduplicated by id.
      const subscription = this.live.pipe(filter((record) => record.topic === topic && record.profileId === profileId)).subscribe({
        next: (record) => (replaying ? held.push(record) : deliver(record)),
        complete: () => subscriber.complete(),
      });
      const replay = async () => {
        for (;;) {
          const page = await this.log.listAfter(topic, last, PAGE, profileId);
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
      (topic) => this.pull(topic),
      () => {
        this.logger.warn('event log LISTEN connection lost; reconnecting');
        this.scheduleRelisten();
      },
    );
  }

  private scheduleRelisten(): void {
    if (this.destroyed) return;
    this.relisten = setTimeout(() => {
      this.stopListening?.()
        .then(() => this.listen())
        .then(() => EVENT_TOPICS.forEach((topic) => this.pull(topic)))
        .catch(() => this.scheduleRelisten());
    }, RELISTEN_DELAY_MS);
  }

  /** One read of a topic's log at a time; a NOTIFY during a read triggers one more. */
  private pull(topic: EventTopic): void {
    if (this.pulling.has(topic)) {
      this.pullAgain.add(topic);
      return;
    }
    const pulling = (async () => {
      do {
        this.pullAgain.delete(topic);
        const page = await this.log.listAfter(topic, this.lastSeen.get(topic) ?? '0', PAGE);
        for (const record of page) {
          this.lastSeen.set(topic, record.id);
          this.live.next(record);
        }
        if (page.length === PAGE) this.pullAgain.add(topic);
      } while (this.pullAgain.has(topic));
    })()
      .catch((error) =>
        this.logger.error({ topic, message: error instanceof Error ? error.message : String(error) }, 'reading the event log failed'),
      )
      .finally(() => this.pulling.delete(topic));
    this.pulling.set(topic, pulling);
  }
}
