import { Injectable } from '@nestjs/common';

/**
 * Repeatable jobs live in Redis, so a Redis that lost its data lost them too.
 * Whoever owns one registers how to create it; the outbox sweep (a timer, not
 * a job) re-creates them all on every pass. Upserting an existing scheduler
 * changes nothing.
 */
@Injectable()
export class JobSchedulers {
  private readonly upserts = new Map<string, () => Promise<unknown>>();

  /** Creates the scheduler now and remembers how, for `ensureAll`. */
  async register(name: string, upsert: () => Promise<unknown>): Promise<void> {
    this.upserts.set(name, upsert);
    await upsert();
  }

  async ensureAll(): Promise<void> {
    for (const upsert of this.upserts.values()) await upsert();
  }
}
