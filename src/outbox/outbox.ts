import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import type { OutboxKind, OutboxMessage } from './outbox-message.js';
import { OutboxRepository, type OutboxRow } from './outbox.repository.js';

const SWEEP_BATCH = 500;
/** Fresh jobs a row may get after its earlier ones ended without doing the work. */
const MAX_DISPATCHES = 10;

/** Rows written by one transaction, to hand to flush() once it has committed. */
export interface OutboxReceipt {
  ids: string[];
}

/**
 * The one path for work that must follow a commit. A service writes the work
 * with its change (`write`, same transaction), then asks for it to start now
 * (`flush`, after commit, never failing the caller). Whatever flush could not
 * hand to Redis, or what Redis later lost, the sweep hands over again.
 */
@Injectable()
export class Outbox {
  private readonly logger = new Logger(Outbox.name);
  private readonly giveUpHandlers = new Map<OutboxKind, (payload: Record<string, unknown>, message: string) => Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rows: OutboxRepository,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  /**
   * Who records a given-up row's failure where staff see it (a publication turns `failed`
   * with the reason), so nothing keeps saying it will be retried once the sweep stopped.
   */
  onGiveUp(kind: OutboxKind, handler: (payload: Record<string, unknown>, message: string) => Promise<void>): void {
    this.giveUpHandlers.set(kind, handler);
  }

  async write(messages: OutboxMessage[], manager: EntityManager): Promise<OutboxReceipt> {
    return { ids: await this.rows.insert(messages, manager) };
  }

  /** After commit: enqueue now. Never throws and never waits on Redis; the sweep covers a failure. */
  flush(receipt: OutboxReceipt | null | undefined): void {
    if (!receipt || receipt.ids.length === 0) return;
    void this.dispatchClaimed(() => this.rows.claimNew(receipt.ids)).catch((error: unknown) =>
      this.logger.warn({ ids: receipt.ids, message: messageOf(error) }, 'outbox: enqueue after commit failed; the sweep will retry'),
    );
  }

  /** Hands every due or overdue row to the queue; returns how many jobs it added. */
  async sweep(): Promise<number> {
    // A fixed cutoff: rows this sweep claims move past it, so the loop ends even with a deadline of 0.
    const cutoff = new Date(Date.now() - this.config.publishing.deadlineSeconds * 1000);
    let added = 0;
    for (;;) {
      const { claimed, added: batch } = await this.dispatchClaimed(() => this.rows.claimOverdue(cutoff, SWEEP_BATCH));
      added += batch;
      if (claimed < SWEEP_BATCH) return added;
    }
  }

  /** Work of one kind, found by a payload field, that waits for a later time runs now instead (Try now). */
  async hurry(kind: OutboxKind, key: string, values: string[]): Promise<number> {
    let promoted = 0;
    for (const row of await this.rows.findByPayload(kind, key, values)) if (await this.dispatcher.promote(row)) promoted += 1;
    return promoted;
  }

  /** Called by a processor once the work is done (or given up for a reason it recorded). */
  async complete(outboxId: string | undefined): Promise<void> {
    if (outboxId) await this.rows.delete(outboxId);
  }

  private async dispatchClaimed(claim: () => Promise<OutboxRow[]>): Promise<{ claimed: number; added: number }> {
    const rows = await claim();
    const added: string[] = [];
    const failures: string[] = [];
    for (const row of rows) {
      try {
        if (await this.dispatchOne(row)) added.push(row.id);
      } catch (error) {
        failures.push(messageOf(error));
        await this.rows.recordError(row.id, messageOf(error));
      }
    }
    // One write for the whole batch: a flush after commit is on the path of every post.
    await this.rows.recordDispatches(added);
    // One line per batch, not per row: a Redis outage would otherwise flood the log.
    if (failures.length > 0) throw new Error(`${failures.length} of ${rows.length} outbox rows not enqueued: ${failures[0]}`);
    return { claimed: rows.length, added: added.length };
  }

  private async dispatchOne(row: OutboxRow): Promise<boolean> {
    const job = row.dispatches > 0 ? await this.dispatcher.jobOf(row) : 'gone';
    if (job === 'queued') return false;
    if (job === 'done') {
      await this.rows.delete(row.id);
      return false;
    }
    if (row.dispatches >= MAX_DISPATCHES) {
      const message = `gave up after ${row.dispatches} jobs ended without finishing the work`;
      await this.rows.giveUp(row.id, message);
      await this.giveUpHandlers.get(row.kind)?.(row.payload, message);
      this.logger.error({ outboxId: row.id, kind: row.kind, payload: row.payload }, `outbox: ${message}`);
      return false;
    }
    await this.dispatcher.add(row);
    return true;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
