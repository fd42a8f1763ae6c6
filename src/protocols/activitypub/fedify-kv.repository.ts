import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Fedify's key–value store (caches, idempotence of inbound activities) in PostgreSQL. */
@Injectable()
export class FedifyKvRepository implements KvStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const rows: Array<{ value: T }> = await this.dataSource.query(
      `SELECT value FROM fedify_kv WHERE key = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [[...key]],
    );
    return rows[0]?.value;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const ttl = options?.ttl ? options.ttl.total({ unit: 'millisecond' }) : null;
    await this.dataSource.query(
      `INSERT INTO fedify_kv (key, value, expires_at) VALUES ($1, $2::jsonb, CASE WHEN $3::float8 IS NULL THEN NULL ELSE now() + $3::float8 * interval '1 millisecond' END)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [[...key], JSON.stringify(value), ttl],
    );
  }

  async delete(key: KvKey): Promise<void> {
    await this.dataSource.query(`DELETE FROM fedify_kv WHERE key = $1`, [[...key]]);
  }

  /** Entries past their TTL, found through the partial index on expires_at, in batches that keep each lock short. */
  async deleteExpired(batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM fedify_kv WHERE key IN (SELECT key FROM fedify_kv WHERE expires_at <= now() LIMIT $1)`,
        [batch],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batch) return total;
    }
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const parts: string[] = prefix ? [...prefix] : [];
    const rows: Array<{ key: string[]; value: unknown }> = await this.dataSource.query(
      `SELECT key, value FROM fedify_kv WHERE key[1:$2] = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY key`,
      [parts, parts.length],
    );
    for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
  }
}
