import { LRUCache } from 'lru-cache';
import type { VersionedTable, VersionStamp } from './table-versions.js';

/**
 * A bounded in-process cache of what one table says, valid while the table's version stays the
 * one it was filled at: a newer version empties it. A value is kept only when it was loaded after
 * a read of the version the cache is at, so a slow load never brings back what a newer write changed.
 */
export class VersionedCache<K extends NonNullable<unknown>, V> {
  private readonly entries: LRUCache<K, { value: V }>;
  private version = -1n;

  constructor(
    private readonly table: VersionedTable,
    max: number,
  ) {
    this.entries = new LRUCache({ max });
  }

  /** The cached value (wrapped, as it may be null), current as of `stamp` or newer. */
  get(key: K, stamp: VersionStamp): { value: V } | undefined {
    this.catchUp(stamp);
    return this.entries.get(key);
  }

  /** Keeps a value loaded after `stamp` was read. */
  set(key: K, value: V, stamp: VersionStamp): void {
    this.catchUp(stamp);
    if (stamp[this.table] === this.version) this.entries.set(key, { value });
  }

  /** The value from the cache, or loaded and kept. */
  async fetch(key: K, stamp: VersionStamp, load: () => Promise<V>): Promise<V> {
    const cached = this.get(key, stamp);
    if (cached) return cached.value;
    const value = await load();
    this.set(key, value, stamp);
    return value;
  }

  private catchUp(stamp: VersionStamp): void {
    const version = stamp[this.table];
    if (version <= this.version) return;
    this.entries.clear();
    this.version = version;
  }
}
