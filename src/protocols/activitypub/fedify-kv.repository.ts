import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/**
 * Fedify's caches of remote documents and public keys: read on every inbound activity (a signature's key,
 * the actor), so they are also kept in this process for a short while, sparing a PostgreSQL round trip each.
 * Being caches, a copy a few minutes old is what PostgreSQL might have answered too; Fedify refetches a key
 * that fails to verify, and the new one replaces the copy here. Idempotence and other entries always go to
 * PostgreSQL, which all processes share.
 */
const MEMO_PREFIXES = new Set(['_fedify\u0000remoteDocument', '_fedify\u0000publicKey']);
const MEMO_MS = 5 * 60_000;
const MEMO_MAX = 5_000;
/**
 * "This activity was processed" marks, read and written twice per inbound activity: they live in Redis,
 * beside the queue that holds the activities themselves, so they are exactly as durable as what they guard.
 * A lost mark costs one repeated handling, which Herald's own unique keys make harmless.
 */
const REDIS_PREFIXES = new Set(['_fedify\u0000activityIdempotence']);

/** Fedify's key–value store: caches in PostgreSQL (and briefly in the process), idempotence of inbound activities in Redis. */
@Injectable()
export class FedifyKvRepository implements KvStore, OnModuleDestroy {
  /** Serialized values (parsed anew per read, so no caller shares an object). */
  private readonly memo = new LRUCache<string, string>({ max: MEMO_MAX, ttl: MEMO_MS });
  private redisClient: Redis | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const redisKey = this.redisKeyOf(key);
    if (redisKey) {
      const value = await this.redis().get(redisKey);
      return value === null ? undefined : (JSON.parse(value) as T);
    }
    const memoKey = memoKeyOf(key);
    if (memoKey) {
      const hit = this.memo.get(memoKey);
      if (hit !== undefined) return JSON.parse(hit) as T;
    }
    const rows: Array<{ value: T; ttl_ms: number | null }> = await this.dataSource.query(
      `SELECT value, (extract(epoch FROM expires_at - now()) * 1000)::float8 AS ttl_ms
       FROM fedify_kv WHERE key = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [[...key]],
    );
    if (memoKey && rows[0]) this.remember(memoKey, rows[0].value, rows[0].ttl_ms);
    return rows[0]?.value;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const ttl = options?.ttl ? options.ttl.total({ unit: 'millisecond' }) : null;
    const redisKey = this.redisKeyOf(key);
    if (redisKey) {
      const serialized = JSON.stringify(value);
      if (ttl) await this.redis().set(redisKey, serialized, 'PX', Math.max(1, Math.ceil(ttl)));
      else await this.redis().set(redisKey, serialized);
      return;
    }
    const memoKey = memoKeyOf(key);
    if (memoKey) this.memo.delete(memoKey);
    await this.dataSource.query(
      `INSERT INTO fedify_kv (key, value, expires_at) VALUES ($1, $2::jsonb, CASE WHEN $3::float8 IS NULL THEN NULL ELSE now() + $3::float8 * interval '1 millisecond' END)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [[...key], JSON.stringify(value), ttl],
    );
    if (memoKey) this.remember(memoKey, value, ttl);
  }

  async delete(key: KvKey): Promise<void> {
    const redisKey = this.redisKeyOf(key);
    if (redisKey) {
      await this.redis().del(redisKey);
      return;
    }
    const memoKey = memoKeyOf(key);
    if (memoKey) this.memo.delete(memoKey);
    await this.dataSource.query(`DELETE FROM fedify_kv WHERE key = $1`, [[...key]]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redisClient?.quit().catch(() => this.redisClient?.disconnect());
  }

  /** Connected on first use: a process that never handles an inbound activity opens no connection for it. */
  private redis(): Redis {
    // Auto-pipelining: the marks of activities handled together go to Redis in one write.
    this.redisClient ??= new Redis(this.config.redis.url, {
      maxRetriesPerRequest: 3,
      connectTimeout: 5_000,
      commandTimeout: 5_000,
      enableAutoPipelining: true,
    });
    return this.redisClient;
  }

  private redisKeyOf(key: KvKey): string | null {
    if (key.length < 3 || !REDIS_PREFIXES.has(`${key[0]}\u0000${key[1]}`)) return null;
    return `${this.config.redis.prefix}:fedify-kv:${key.map(encodeURIComponent).join(':')}`;
  }

  private remember(memoKey: string, value: unknown, ttlMs: number | null): void {
    if (value === undefined) return;
    // lru-cache takes whole positive milliseconds (0 would mean "never expires").
    this.memo.set(memoKey, JSON.stringify(value), { ttl: Math.max(1, Math.floor(Math.min(MEMO_MS, ttlMs ?? MEMO_MS))) });
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

/** The in-process key of a cache entry, or null for entries that are read from PostgreSQL every time. */
function memoKeyOf(key: KvKey): string | null {
  if (key.length < 3 || !MEMO_PREFIXES.has(`${key[0]}\u0000${key[1]}`)) return null;
  return key.join('\u0000');
}
