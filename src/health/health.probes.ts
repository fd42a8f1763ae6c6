import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES } from '../queue/queues.js';

export type ProbeResult = { ok: true } | { ok: false; error: string };

async function probe(check: () => Promise<unknown>, timeoutMs = 2_000): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Pings the outside systems readiness depends on. */
@Injectable()
export class HealthProbes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.publications) private readonly queue: Queue,
  ) {}

  postgres(): Promise<ProbeResult> {
    return probe(() => this.dataSource.query('SELECT 1'));
  }

  redis(): Promise<ProbeResult> {
    return probe(() => this.queue.count());
  }
}
