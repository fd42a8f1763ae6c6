import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { InboxEventRecord, InboxEventType } from './inbox-event.entity.js';

const CHANNEL = 'inbox_event';

interface EventRow {
  id: string;
  profile_id: string;
  type: InboxEventType;
  interaction_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

const toRecord = (row: EventRow): InboxEventRecord => ({
  id: String(row.id),
  profileId: row.profile_id,
  type: row.type,
  interactionId: row.interaction_id,
  payload: row.payload,
  createdAt: row.created_at,
});

/** The inbox event log in PostgreSQL, and its LISTEN/NOTIFY channel: how every process hears of every change. */
@Injectable()
export class InboxEventLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pass the change's transaction so the event commits (and is NOTIFYed) with it, or not at all. */
  async append(
    event: Pick<InboxEventRecord, 'profileId' | 'type' | 'interactionId' | 'payload'>,
    manager?: EntityManager,
  ): Promise<InboxEventRecord> {
    if (!manager) return this.dataSource.transaction((own) => this.append(event, own));
    // Serialised, so ids commit in order: a reader asking for "id > last seen" can never skip a late commit.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('inbox_event'))`);
    const [row] = await manager.query(
      `INSERT INTO inbox_event (profile_id, type, interaction_id, payload) VALUES ($1, $2, $3, $4::jsonb)
       RETURNING id, profile_id, type, interaction_id, payload, created_at`,
      [event.profileId, event.type, event.interactionId, JSON.stringify(event.payload)],
    );
    await manager.query(`SELECT pg_notify($1, $2)`, [CHANNEL, String(row.id)]);
    return toRecord(row);
  }

  /** Events after `afterId` in id order, for one profile or for all. */
  async listAfter(afterId: string, limit: number, profileId?: string): Promise<InboxEventRecord[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT id, profile_id, type, interaction_id, payload, created_at FROM inbox_event
       WHERE id > $1 AND ($2::uuid IS NULL OR profile_id = $2) ORDER BY id LIMIT $3`,
      [afterId, profileId ?? null, limit],
    );
    return rows.map(toRecord);
  }

  /**
   * Deletes events created before `cutoff`, oldest first in batches; returns how many.
   * The oldest rows lead the primary key, so each batch stops early without an index on time.
   */
  async pruneBefore(cutoff: Date, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM inbox_event WHERE id IN (SELECT id FROM inbox_event WHERE created_at < $1 ORDER BY id LIMIT $2)`,
        [cutoff, batch],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batch) return total;
    }
  }

  async latestId(): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT coalesce(max(id), 0) AS id FROM inbox_event`);
    return String(row.id);
  }

  /** Holds one connection that LISTENs; `onLost` hears when it breaks. Returns the function that lets it go. */
  async listen(onNotify: () => void, onLost: () => void): Promise<() => Promise<void>> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as ListeningClient;
    const listener = (message: { channel: string }) => {
      if (message.channel === CHANNEL) onNotify();
    };
    let stopped = false;
    const lost = () => {
      if (!stopped) onLost();
      stopped = true;
    };
    client.on('notification', listener);
    client.on('error', lost);
    client.on('end', lost);
    await runner.query(`LISTEN ${CHANNEL}`);
    return async () => {
      stopped = true;
      await runner.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      client.off('notification', listener);
      client.off('error', lost);
      client.off('end', lost);
      await runner.release().catch(() => undefined);
    };
  }
}

interface ListeningClient {
  on(event: 'notification', listener: (message: { channel: string }) => void): void;
  on(event: 'error' | 'end', listener: () => void): void;
  off(event: 'notification', listener: (message: { channel: string }) => void): void;
  off(event: 'error' | 'end', listener: () => void): void;
}
