import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutboxKind, OutboxMessage } from './outbox-message.js';

/** An outbox row as the dispatcher needs it. */
export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  availableAt: Date;
  dispatches: number;
}

interface RawRow {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  available_at: Date;
  dispatches: number;
}

const rowOf = (raw: RawRow): OutboxRow => ({
  id: String(raw.id),
  kind: raw.kind,
  payload: raw.payload,
  availableAt: raw.available_at,
  dispatches: raw.dispatches,
});

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inside the caller's transaction, so the work exists exactly when the change it follows does. */
  async insert(messages: OutboxMessage[], manager: EntityManager): Promise<string[]> {
    if (messages.length === 0) return [];
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO outbox (kind, payload, available_at, recheck_from)
       SELECT kind, payload, coalesce(available_at, now()), coalesce(available_at, now())
       FROM jsonb_to_recordset($1::jsonb) AS m(kind text, payload jsonb, available_at timestamptz)
       RETURNING id`,
      [
        JSON.stringify(
          messages.map((message) => ({ kind: message.kind, payload: message.payload, available_at: message.availableAt ?? null })),
        ),
      ],
    );
    return rows.map((row) => String(row.id));
  }

  /** The rows a transaction just wrote, unless someone already took them. */
  claimNew(ids: string[]): Promise<OutboxRow[]> {
    return this.claimWhere(`id = ANY($1::bigint[]) AND claimed_at IS NULL`, [ids]);
  }

  /** Rows that became due, or were last dispatched, at or before the cutoff. */
  claimOverdue(cutoff: Date, limit: number): Promise<OutboxRow[]> {
    return this.claimWhere(`recheck_from < $1 ORDER BY recheck_from LIMIT $2`, [cutoff, limit]);
  }

  /** SKIP LOCKED: two processes never take the same row at once. */
  private async claimWhere(condition: string, parameters: unknown[]): Promise<OutboxRow[]> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [RawRow[], number] = await this.dataSource.query(
      `UPDATE outbox SET claimed_at = now(), recheck_from = greatest(now(), available_at)
       WHERE id IN (SELECT id FROM outbox WHERE ${condition} FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload, available_at, dispatches`,
      parameters,
    );
    return rows.map(rowOf);
  }

  /** Rows of one kind whose payload names one of `values` under `key` (e.g. the publications of a profile). */
  async findByPayload(kind: OutboxKind, key: string, values: string[]): Promise<OutboxRow[]> {
    if (values.length === 0) return [];
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT id, kind, payload, available_at, dispatches FROM outbox WHERE kind = $1 AND payload->>$2 = ANY($3::text[])`,
      [kind, key, values],
    );
    return rows.map(rowOf);
  }

  async recordDispatches(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE outbox SET dispatches = dispatches + 1, last_error = NULL WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async recordError(id: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox SET last_error = $2 WHERE id = $1`, [id, message.slice(0, 2000)]);
  }

  /** Kept for an operator to see, never dispatched again. */
  async giveUp(id: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox SET recheck_from = 'infinity', last_error = $2 WHERE id = $1`, [id, message.slice(0, 2000)]);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM outbox WHERE id = $1`, [id]);
  }

  /** Rows still to be done, given-up ones included. */
  async count(kind?: OutboxKind): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE $1::text IS NULL OR kind = $1`, [kind ?? null]);
    return row.n;
  }
}
