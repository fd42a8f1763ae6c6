import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer.js';

/** The tables whose committed writes raise a version (migration 1764410000000). */
export type VersionedTable = 'profile' | 'post' | 'block' | 'keyword_filter';

/** Each versioned table's version as one read saw it. */
export type VersionStamp = Readonly<Record<VersionedTable, bigint>>;

/**
 * The versions of the cached tables, read fresh: a write committed before `read()` was called
 * shows in what it returns. Concurrent reads share one query (the next one to start), so a busy
 * process pays one round trip per wave of activities, not one per activity.
 */
@Injectable()
export class TableVersions {
  private readonly reads = new Coalescer<void, VersionStamp>(async (calls) => {
    const stamp = await this.query();
    return calls.map(() => stamp);
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  read(): Promise<VersionStamp> {
    return this.reads.call();
  }

  private async query(): Promise<VersionStamp> {
    const rows: Array<{ name: VersionedTable; version: string }> = await this.dataSource.query(`SELECT name, version FROM table_version`);
    return Object.fromEntries(rows.map((row) => [row.name, BigInt(row.version)])) as VersionStamp;
  }
}
