import { setTimeout as sleep } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { FirehoseCursorRepository, type FirehoseLease } from './firehose-cursor.repository.js';
import { FirehoseIngest } from './firehose-ingest.js';
import type { CommitMessage } from './firehose-wire.js';
import { WATCHED_COLLECTIONS } from './notifications-from-record.js';

/** A relay that accepts the connection but never answers the upgrade is given up on after this long. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A silent open connection is pinged this often and dropped when a ping goes unanswered until the next. */
const HEARTBEAT_MS = 15_000;
const MAX_BACKOFF_MS = 60_000;
/** Trouble (a relay down for hours) is logged once per period, with how often it recurred meanwhile. */
const TROUBLE_LOG_PERIOD_MS = 5 * 60_000;
/** The cursor is written at most this often; resuming a little behind re-reads commits the storage ignores. */
const CURSOR_SAVE_MS = 1_000;
/** A worker that is not the hub's reader asks again this often, so another takes over soon after the reader dies. */
const STANDBY_MS = 15_000;

type FirehoseWire = typeof import('./firehose-wire.js');

/**
 * Reads `com.atproto.sync.subscribeRepos` of the configured relay (or PDS) in one worker process per hub (elected
 * by a PostgreSQL lock; the others stand by and take over when it dies) and hands the
 * commits of watched collections to FirehoseIngest, so Bluesky interactions reach the inbox within a second or two
 * rather than at the next notification poll. It resumes from a cursor kept in PostgreSQL, reconnects with
 * exponential backoff, and stops on shutdown. The stream is trusted as the AppView is: commit signatures are not
 * checked (a relay checks them; resolving every author's key would cost a PLC lookup per commit).
 */
@Injectable()
export class FirehoseSubscription implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FirehoseSubscription.name);
  private readonly service: string | null;
  private readonly stop = new AbortController();
  private running: Promise<void> | null = null;
  private seq: number | null = null;
  private savedSeq: number | null = null;
  private savedAt = 0;
  private troubleLoggedAt = 0;
  private troubleSince = 0;
  private troubleRepeats = 0;
  private inTrouble = false;
  private leading = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly cursors: FirehoseCursorRepository,
    private readonly ingest: FirehoseIngest,
  ) {
    this.service = config.atproto.firehoseUrl;
  }

  onApplicationBootstrap(): void {
    if (this.service) this.running = this.run(this.service);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
    await this.saveCursor(true).catch(() => undefined);
  }

  /** Whether this worker is the hub's firehose reader now (one per hub; the others stand by). */
  get isReader(): boolean {
    return this.leading;
  }

  private async run(service: string): Promise<void> {
    // Only a worker configured with a firehose loads the libraries that read it.
    const wire = await import('./firehose-wire.js');
    while (!this.stop.signal.aborted) {
      const lease = await this.cursors.lead(service).catch((error: unknown) => {
        this.trouble(error);
        return null;
      });
      if (lease) {
        this.leading = true;
        try {
          await this.readWhileLeading(service, lease, wire);
        } finally {
          this.leading = false;
          // The cursor first: the next reader resumes from it.
          await this.saveCursor(true).catch(() => undefined);
          this.seq = null;
          await lease.release().catch(() => undefined);
        }
        if (lease.lost.aborted) this.trouble(lease.lost.reason);
      }
      if (!this.stop.signal.aborted) await sleep(STANDBY_MS, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }

  private async readWhileLeading(service: string, lease: FirehoseLease, wire: FirehoseWire): Promise<void> {
    let failures = 0;
    while (!this.stop.signal.aborted && !lease.lost.aborted) {
      const startedAt = Date.now();
      try {
        await this.read(service, lease.lost, wire);
      } catch (error) {
        if (this.stop.signal.aborted || lease.lost.aborted) return;
        this.trouble(error);
      }
      // A connection that lived a while starts the backoff over.
      failures = Date.now() - startedAt > MAX_BACKOFF_MS ? 1 : failures + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
      await sleep(backoff, undefined, { signal: AbortSignal.any([this.stop.signal, lease.lost]) }).catch(() => undefined);
    }
  }

  /** One connection, with the library's own reconnects; ends on a fatal error, an unanswered connect, or shutdown. */
  private async read(service: string, leaseLost: AbortSignal, wire: FirehoseWire): Promise<void> {
    const connection = new AbortController();
    const stopConnection = () => connection.abort();
    this.stop.signal.addEventListener('abort', stopConnection, { once: true });
    leaseLost.addEventListener('abort', stopConnection, { once: true });
    let connectTimer: NodeJS.Timeout | undefined;
    const socket = wire.websocket(
      async () => {
        // Re-read on every dial, so a reconnect resumes where the last one stopped.
        await this.saveCursor(true);
        const cursor = this.seq ?? (await this.cursors.find(service));
        connectTimer = setTimeout(
          () => connection.abort(new Error(`no answer from ${service} within ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        );
        const url = new URL(`${service}/xrpc/com.atproto.sync.subscribeRepos`);
        if (cursor !== null) url.searchParams.set('cursor', String(cursor));
        return url;
      },
      {
        dataMode: 'binary',
        signal: connection.signal,
        heartbeat: { intervalMs: HEARTBEAT_MS },
        maxReconnectSeconds: MAX_BACKOFF_MS / 1000,
        onConnect: () => {
          clearTimeout(connectTimer);
          this.recovered();
        },
        onReconnect: (error) => {
          clearTimeout(connectTimer);
          this.trouble(error);
        },
      },
    );
    try {
      for await (const chunk of socket) await this.receive(service, chunk, wire);
    } catch (error) {
      throw connection.signal.reason instanceof Error && !this.stop.signal.aborted ? connection.signal.reason : error;
    } finally {
      clearTimeout(connectTimer);
      this.stop.signal.removeEventListener('abort', stopConnection);
      leaseLost.removeEventListener('abort', stopConnection);
    }
  }

  private async receive(service: string, chunk: Uint8Array, wire: FirehoseWire): Promise<void> {
    let message: ReturnType<FirehoseWire['ensureChunkIsMessage']>;
    try {
      message = wire.ensureChunkIsMessage(chunk);
    } catch (error) {
      if (isFutureCursor(error, wire)) {
        // The service was reset and no longer knows the cursor: start from its live end; the poll fills the gap.
        this.seq = null;
        this.savedSeq = null;
        await this.cursors.clear(service);
      }
      throw error;
    }
    const body = message.body as { seq?: unknown; repo?: unknown; ops?: unknown; blocks?: unknown };
    if (message.header.t === '#commit' && typeof body.repo === 'string' && Array.isArray(body.ops) && body.blocks instanceof Uint8Array) {
      await this.commit(body as unknown as CommitMessage, wire);
    }
    if (typeof body.seq === 'number') {
      this.seq = body.seq;
      await this.saveCursor(false);
    }
  }

  private async commit(commit: CommitMessage, wire: FirehoseWire): Promise<void> {
    try {
      for (const event of await wire.parseCommitUnauthenticated(commit, (collection) => WATCHED_COLLECTIONS.includes(collection))) {
        await this.ingest.handle(event);
      }
    } catch (error) {
      // One bad commit or a failed write must not stop the stream: the poll reads it again.
      this.trouble(error);
    }
  }

  private async saveCursor(now: boolean): Promise<void> {
    if (!this.service || this.seq === null || this.seq === this.savedSeq) return;
    if (!now && Date.now() - this.savedAt < CURSOR_SAVE_MS) return;
    const seq = this.seq;
    this.savedAt = Date.now();
    await this.cursors.save(this.service, seq);
    this.savedSeq = seq;
  }

  private trouble(error: unknown): void {
    const now = Date.now();
    if (!this.inTrouble) this.troubleSince = now;
    this.inTrouble = true;
    if (now - this.troubleLoggedAt < TROUBLE_LOG_PERIOD_MS) {
      this.troubleRepeats++;
      return;
    }
    this.logger.warn(
      { service: this.service, message: describe(error), repeats: this.troubleRepeats, since: new Date(this.troubleSince).toISOString() },
      'bluesky firehose trouble; retrying (the notification poll catches up meanwhile)',
    );
    this.troubleLoggedAt = now;
    this.troubleRepeats = 0;
  }

  private recovered(): void {
    if (!this.inTrouble) return;
    this.inTrouble = false;
    this.logger.log({ service: this.service, since: new Date(this.troubleSince).toISOString() }, 'bluesky firehose connected again');
  }
}

function isFutureCursor(error: unknown, wire: FirehoseWire): boolean {
  return error instanceof wire.XRPCError && [error.errorMessage, error.customErrorName, error.error].includes('FutureCursor');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
