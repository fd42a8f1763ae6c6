import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** While held, this worker is the hub's one firehose reader; `lost` aborts when its connection to PostgreSQL fails. */
export interface FirehoseLease {
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** How often the lease's connection is checked: a reader cut off from PostgreSQL stops within this long. */
const LEASE_CHECK_MS = 10_000;

/** The last firehose sequence number handled, per subscribeRepos service, and who reads it. */
@Injectable()
export class FirehoseCursorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(service: string): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT seq FROM atproto_firehose_cursor WHERE service = $1`, [service]);
    return row ? Number(row.seq) : null;
  }

  /** Never moves back: two subscribers (two workers) leave the furthest one. */
  async save(service: string, seq: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO atproto_firehose_cursor (service, seq) VALUES ($1, $2)
       ON CONFLICT (service) DO UPDATE SET seq = GREATEST(atproto_firehose_cursor.seq, EXCLUDED.seq), updated_at = now()`,
      [service, seq],
    );
  }

  /**
   * One reader per service across the hub's workers: a PostgreSQL session lock on a connection of its own.
   * The others get null and try again later; if the holder dies, its connection ends and so does its lock.
   */
  async lead(service: string): Promise<FirehoseLease | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `herald firehose ${service}`;
    try {
      const [{ held }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS held`, [key]);
      if (!held) {
        await runner.release();
        return null;
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    const lost = new AbortController();
    const check = setInterval(() => {
      runner.query(`SELECT 1`).catch((error: unknown) => lost.abort(error));
    }, LEASE_CHECK_MS);
    check.unref();
    return {
      lost: lost.signal,
      async release() {
        clearInterval(check);
        try {
          if (!lost.signal.aborted) await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
        } finally {
          await runner.release();
        }
      },
    };
  }

  /** The service no longer knows the stored cursor (a reset relay): start from its live end; the poll fills the gap. */
  async clear(service: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM atproto_firehose_cursor WHERE service = $1`, [service]);
  }
}
