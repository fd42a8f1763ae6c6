import { Inject, Injectable, Logger } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { FollowersRepository } from '../../../audience/followers.repository.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { OutgoingHttp } from '../../../net/outgoing-http.js';
import { PublicationsRepository } from '../../../posts/publications.repository.js';
import { digestOf, type InboxPost, type SendResult, sendToInbox } from './delivery-sender.js';
import { DeliveryQueue } from './delivery-queue.js';
import { type DeliveryOutcome, type DueDelivery, FanoutsRepository, type FanoutToSend, type HostHealth } from './fanouts.repository.js';
import { type SigningKey, SigningKeys } from './signing-keys.js';
import { UnrecordedWindow } from './unrecorded-window.js';

/** A request unanswered this long is slow (or hanging): it leaves the unrecorded window so it does not hold it. */
const SLOW_ANSWER_MS = 250;

/**
 * Signatures made at once. Requests leave at the pace they are signed, so few
 * answered-but-unrecorded deliveries exist at any moment: what a killed worker
 * sends twice. Waiting for answers is not limited by this, only by the slots.
 */
const SIGNING_AT_ONCE = 2;

/**
 * Works through a fan-out's due deliveries: a stream of signed POSTs under a
 * process-wide limit and a per-host one, each outcome written back to
 * PostgreSQL in small batches, failing hosts held back by a breaker, retries
 * scheduled with backoff, and the publication settled once every destination
 * has an outcome.
 */
@Injectable()
export class FanoutDeliverer {
  private readonly logger = new Logger('ActivityPubDelivery');
  private readonly slots: LimitFunction;
  private readonly signing = pLimit(SIGNING_AT_ONCE);
  private readonly unrecorded: UnrecordedWindow;
  private readonly hostSlots = new Map<string, LimitFunction>();
  /** Hosts whose breaker this process already reported open, so it says so once per opening. */
  private readonly reportedOpen = new Set<string>();
  private readonly post: InboxPost;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly fanouts: FanoutsRepository,
    private readonly keys: SigningKeys,
    private readonly queue: DeliveryQueue,
    private readonly publications: PublicationsRepository,
    private readonly followers: FollowersRepository,
    http: OutgoingHttp,
  ) {
    this.slots = pLimit(config.delivery.concurrency);
    this.unrecorded = new UnrecordedWindow(config.delivery.unrecordedWindow, SLOW_ANSWER_MS);
    // Herald's guarded client: every connection's address is checked, so a stored inbox that now resolves inward is refused.
    this.post = (url, init) => http.post(url, init);
  }

  async deliver(fanoutId: string): Promise<void> {
    const fanout = await this.fanouts.fanout(fanoutId);
    if (!fanout) return;
    const key = await this.keys.forProfile(fanout.profileId);
    const body = new TextEncoder().encode(fanout.body);
    const digest = digestOf(body);
    const writer = new OutcomeWriter(this.fanouts, this.config.delivery);
    const running = new Set<Promise<void>>();
    const { concurrency, timeoutSeconds } = this.config.delivery;
    // A claimed row is sent within its lease: at most a full queue ahead of it, then its own deadline.
    const leaseSeconds = timeoutSeconds * 4 + 60;
    try {
      for (;;) {
        const room = concurrency - running.size;
        if (room <= 0) {
          await Promise.race(running);
          continue;
        }
        const due = await this.fanouts.claimDue(fanoutId, Math.min(room, 200), leaseSeconds);
        if (due.length === 0) {
          if (running.size === 0) break;
          await Promise.race(running);
          continue;
        }
        // Without breaker data the round goes on: holding the leased rows until their lease ends would be worse.
        const health = await this.fanouts
          .hostHealth([...new Set(due.map((delivery) => delivery.host))])
          .catch(() => new Map<string, HostHealth>());
        for (const delivery of due) {
          const task = this.slots(() => this.onHost(delivery.host, () => this.one(fanout, delivery, key, body, digest, health, writer)));
          // A send never throws, but its bookkeeping (a 410's followers) may; a stray rejection would end the process.
          const tracked: Promise<void> = task
            .catch((error: unknown) => this.logger.warn({ fanoutId, message: messageOf(error) }, 'delivery: bookkeeping failed'))
            .finally(() => running.delete(tracked));
          running.add(tracked);
        }
      }
    } finally {
      await writer.close();
    }
    await this.afterRound(fanout);
  }

  private async one(
    fanout: FanoutToSend,
    delivery: DueDelivery,
    key: SigningKey | null,
    body: Uint8Array,
    digest: string,
    health: Map<string, HostHealth>,
    writer: OutcomeWriter,
  ): Promise<void> {
    const held = health.get(delivery.host)?.openUntil;
    if (held && held.getTime() > Date.now()) {
      writer.add({ ...this.pending(delivery, held, `held back: ${delivery.host} keeps failing`), tried: false });
      return;
    }
    if (!key) {
      writer.add({ id: delivery.id, state: 'given_up', tried: false, nextAttemptAt: null, status: null, error: 'the profile has no key' });
      return;
    }
    // Held from signing until the outcome is written: sending never runs far ahead of what PostgreSQL knows.
    const written = await this.unrecorded.enter();
    const result = await sendToInbox(this.post, delivery.inbox, body, key, {
      timeoutMs: this.config.delivery.timeoutSeconds * 1000,
      digest,
      userAgent: `Herald/0.1.0 (+${this.config.http.publicUrl.origin})`,
      signing: this.signing,
    }).catch((error: unknown) => {
      written();
      throw error;
    });
    const outcome = this.outcomeOf(delivery, result);
    writer.add(outcome, written);
    if (result.kind === 'failed') {
      const opened = writer.hostFailed(delivery.host, result.error, health);
      if (opened && !this.reportedOpen.has(delivery.host)) {
        this.reportedOpen.add(delivery.host);
        this.logger.warn({ host: delivery.host, reason: result.error }, 'delivery: host keeps failing; holding its deliveries back');
      }
    } else if (result.kind !== 'rate-limited') {
      writer.hostAnswered(delivery.host, health);
      this.reportedOpen.delete(delivery.host);
    }
    if (result.kind === 'gone') await this.gone(fanout, delivery);
    // Trouble is logged once per delivery: on its first failure and when given up, not on each retry.
    if (outcome.state === 'given_up' || (outcome.state === 'pending' && delivery.attempts === 0)) {
      this.logger.warn(
        { host: delivery.host, inbox: delivery.inbox, activityId: fanout.activityId, status: outcome.status, reason: outcome.error },
        outcome.state === 'given_up' ? 'delivery given up' : 'delivery failed; will retry',
      );
    }
  }

  private outcomeOf(delivery: DueDelivery, result: SendResult): DeliveryOutcome {
    switch (result.kind) {
      case 'delivered':
        return { id: delivery.id, state: 'delivered', tried: true, nextAttemptAt: null, status: result.status, error: null };
      case 'gone':
        return { id: delivery.id, state: 'gone', tried: true, nextAttemptAt: null, status: result.status, error: 'HTTP 410 Gone' };
      case 'refused':
        return { id: delivery.id, state: 'given_up', tried: true, nextAttemptAt: null, status: result.status, error: result.error };
      case 'rate-limited': {
        const backoff = this.backoff(delivery.attempts);
        const later = result.retryAfter && result.retryAfter > backoff ? result.retryAfter : backoff;
        return { ...this.pending(delivery, capped(later), result.error), status: result.status };
      }
      case 'failed': {
        if (delivery.attempts + 1 >= this.config.delivery.maxAttempts) {
          const error = `${result.error} (gave up after ${delivery.attempts + 1} attempts)`;
          return { id: delivery.id, state: 'given_up', tried: true, nextAttemptAt: null, status: result.status, error };
        }
        return { ...this.pending(delivery, this.backoff(delivery.attempts), result.error), status: result.status };
      }
    }
  }

  private pending(delivery: DueDelivery, at: Date, error: string): DeliveryOutcome {
    return { id: delivery.id, state: 'pending', tried: true, nextAttemptAt: at, status: null, error };
  }

  /** base × 4^attempts, capped at 12 h, with ±10% jitter so a recovered host is not hit by everyone at once. */
  private backoff(attempts: number): Date {
    const seconds = Math.min(12 * 3600, this.config.delivery.retryBaseSeconds * 4 ** attempts);
    return new Date(Date.now() + seconds * 1000 * (0.9 + Math.random() * 0.2));
  }

  private async gone(fanout: FanoutToSend, delivery: DueDelivery): Promise<void> {
    const ended = await this.followers.endAtInbox(fanout.profileId, 'activitypub', delivery.inbox);
    if (ended > 0)
      this.logger.log({ host: delivery.host, inbox: delivery.inbox, ended }, 'delivery: inbox is gone (410); its followers were removed');
  }

  /** Runs a send under its host's limit; a host's limiter lives only while it has sends, not one per host ever seen. */
  private async onHost(host: string, send: () => Promise<void>): Promise<void> {
    let limit = this.hostSlots.get(host);
    if (!limit) {
      limit = pLimit(this.config.delivery.perHost);
      this.hostSlots.set(host, limit);
    }
    try {
      await limit(send);
    } finally {
      if (limit.activeCount === 0 && limit.pendingCount === 0 && this.hostSlots.get(host) === limit) this.hostSlots.delete(host);
    }
  }

  private async afterRound(fanout: FanoutToSend): Promise<void> {
    const complete = await this.fanouts.completeUnsettled(fanout.id);
    if (complete) {
      // The publication first: if this process dies in between, the fan-out stays unsettled and the sweep comes back.
      if (complete.publication)
        await this.publications.settle(complete.publication.publicationId, complete.publication.revision, complete.publication.action);
      await this.fanouts.markSettled(fanout.id);
    }
    const next = await this.fanouts.nextDue(fanout.id);
    if (next) await this.queue.start(fanout.id, next);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const capped = (at: Date) => new Date(Math.min(at.getTime(), Date.now() + 24 * 3600 * 1000));

/**
 * Buffers outcomes and host health changes and writes them as soon as it can:
 * at once when no write is under way, else together once the current write ends
 * (group commit). An answered delivery stays unrecorded only for about one write,
 * which is what a killed worker sends again; under load, batches grow by themselves.
 */
class OutcomeWriter {
  private outcomes: DeliveryOutcome[] = [];
  /** Called once the outcomes buffered with them are written (or their write has failed for good). */
  private onWritten: Array<() => void> = [];
  private successes = new Set<string>();
  private failures = new Map<string, { count: number; error: string }>();
  private scheduled = false;
  private writing: Promise<void> | null = null;
  /** The first failed write, kept for close(): a rejection nobody awaits yet would end the process. */
  private failure: unknown = null;

  constructor(
    private readonly fanouts: FanoutsRepository,
    private readonly settings: AppConfig['delivery'],
  ) {}

  add(outcome: DeliveryOutcome, onWritten?: () => void): void {
    this.outcomes.push(outcome);
    if (onWritten) this.onWritten.push(onWritten);
    this.schedule();
  }

  hostAnswered(host: string, health: Map<string, HostHealth>): void {
    this.successes.add(host);
    this.failures.delete(host);
    health.delete(host);
  }

  /** Counts a failure; returns true when it opens the host's breaker (for the rest of this round too). */
  hostFailed(host: string, error: string, health: Map<string, HostHealth>): boolean {
    const failure = this.failures.get(host) ?? { count: 0, error };
    failure.count += 1;
    failure.error = error;
    this.failures.set(host, failure);
    this.successes.delete(host);
    const known = health.get(host) ?? { host, consecutiveFailures: 0, openUntil: null };
    known.consecutiveFailures += 1;
    const opens = known.consecutiveFailures >= this.settings.breakerThreshold;
    if (opens) known.openUntil = new Date(Date.now() + this.settings.breakerOpenSeconds * 1000);
    health.set(host, known);
    return opens;
  }

  async close(): Promise<void> {
    while (this.writing || this.hasBuffered()) {
      if (!this.writing) this.startWrite();
      await this.writing;
    }
    if (this.failure) throw this.failure;
  }

  private hasBuffered(): boolean {
    return this.outcomes.length > 0 || this.successes.size > 0 || this.failures.size > 0;
  }

  /** Outcomes of the same tick (answers read from one socket poll) go out together. */
  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.writing) this.startWrite();
    });
  }

  private startWrite(): void {
    const outcomes = this.outcomes;
    const onWritten = this.onWritten;
    const successes = [...this.successes];
    const failures = [...this.failures].map(([host, failure]) => ({ host, ...failure }));
    this.outcomes = [];
    this.onWritten = [];
    this.successes.clear();
    this.failures.clear();
    const write = async () => {
      if (outcomes.length > 0) await this.fanouts.recordOutcomes(outcomes);
      if (successes.length > 0 || failures.length > 0)
        await this.fanouts.recordHostOutcomes(successes, failures, {
          threshold: this.settings.breakerThreshold,
          openSeconds: this.settings.breakerOpenSeconds,
          maxOpenSeconds: 3600,
        });
    };
    // Writes stay in order (one at a time). A write that fails (a dropped connection) is tried once more a
    // second later: outcomes not written mean those inboxes get the activity again after their lease. A second
    // failure surfaces at close(), and the leased rows are retried after their lease.
    this.writing = write()
      .catch(() => new Promise((resolve) => setTimeout(resolve, 1000)).then(write))
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        for (const done of onWritten) done();
        this.writing = null;
        if (this.hasBuffered()) this.schedule();
      });
  }
}
