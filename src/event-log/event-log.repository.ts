import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EVENT_TOPICS, type EventLogRecord, type EventTopic, type NewEvent } from './event-log.entity.js';

const CHANNEL = 'event_log';
const COLUMNS = 'id, topic, profile_id, type, subject_id, payload, created_at';

interface EventRow {
  id: string;
  topic: EventTopic;
  profile_id: string;
  type: string;
  subject_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

const toRecord = (row: EventRow): EventLogRecord => ({
  id: String(row.id),
  topic: row.topic,
  profileId: row.profile_id,
  type: row.type,
  subjectId: row.subject_id,
  payload: row.payload,
  createdAt: row.created_at,
});

const isTopic = (value: string): value is EventTopic => (EVENT_TOPICS as readonly string[]).includes(value);

/** The event log in PostgreSQL, and its LISTEN/NOTIFY channel: how every process hears of every change. */
@Injectable()
export class EventLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pass the change's transaction so the events commit (and are NOTIFYed) with it, or not at all. */
  async append(topic: EventTopic, events: NewEvent[], manager?: EntityManager): Promise<EventLogRecord[]> {
    if (events.length === 0) return [];
    if (!manager) return this.dataSource.transaction((own) => this.append(topic, events, own));
    // Serialised per topic, so a topic's ids commit in order: a reader asking for "id > last seen" can never skip a late commit.
    // Taken last in the change's transaction, so the lock is held only until its commit. The NOTIFY is
    // delivered at commit (or never), so it goes with the lock, one round trip.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('event_log'), hashtext($1)), pg_notify($2, $1)`, [topic, CHANNEL]);
    // One statement for all: ids are drawn in the order given, after the lock.
    const rows: EventRow[] = await manager.query(
      `INSERT INTO event_log (topic, profile_id, type, subject_id, payload)
       SELECT $1, e.profile_id, e.type, e.subject_id, e.payload
       FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (profile_id uuid, type text, subject_id uuid, payload jsonb))
         WITH ORDINALITY AS e(profile_id, type, subject_id, payload, n)
       ORDER BY e.n
       RETURNING ${COLUMNS}`,
      [
        topic,
        JSON.stringify(
          events.map((event) => ({ profile_id: event.profileId, type: event.type, subject_id: event.subjectId, payload: event.payload })),
        ),
      ],
    );
    return rows.map(toRecord).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /** A topic's events after `afterId` in id order, for one profile or for all. */
  async listAfter(topic: EventTopic, afterId: string, limit: number, profileId?: string): Promise<EventLogRecord[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM event_log
       WHERE topic = $1 AND id > $2 AND ($3::uuid IS NULL OR profile_id = $3) ORDER BY id LIMIT $4`,
      [topic, afterId, profileId ?? null, limit],
    );
    return rows.map(toRecord);
  }

  /** The newest committed id of a topic: every later event of it has a greater id. */
  async latestId(topic: EventTopic): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT coalesce(max(id), 0) AS id FROM event_log WHERE topic = $1`, [topic]);
    return String(row.id);
  }

  /**
   * Deletes events created before `cutoff`, oldest first in batches; returns how many.
   * The oldest rows lead the primary key, so each batch stops early without an index on time.
   */
  async pruneBefore(cutoff: Date, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM event_log WHERE id IN (SELECT id FROM event_log WHERE created_at < $1 ORDER BY id LIMIT $2)`,
        [cutoff, batch],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batch) return total;
    }
  }

  /**
   * Holds one connection that LISTENs; `onNotify` hears which topic has news, `onLost` when the
   * connection breaks. Returns the function that lets it go.
   */
  async listen(onNotify: (topic: EventTopic) => void, onLost: () => void): Promise<() => Promise<void>> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as ListeningClient;
    const listener = (message: { channel: string; payload?: string }) => {
      if (message.channel === CHANNEL && message.payload && isTopic(message.payload)) onNotify(message.payload);
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
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: () => void): void;
  off(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  off(event: 'error' | 'end', listener: () => void): void;
}
