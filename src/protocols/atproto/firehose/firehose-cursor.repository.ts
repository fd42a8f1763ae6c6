import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The last firehose sequence number handled, per subscribeRepos service. */
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

  /** The service no longer knows the stored cursor (a reset relay): start from its live end; the poll fills the gap. */
  async clear(service: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM atproto_firehose_cursor WHERE service = $1`, [service]);
  }
}
