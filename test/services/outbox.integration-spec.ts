import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, UnrecoverableError, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { Outbox } from '../../src/outbox/outbox.js';
import { OutboxModule } from '../../src/outbox/outbox.module.js';
import { OutboxRepository } from '../../src/outbox/outbox.repository.js';
import { QUEUES } from '../../src/queue/queues.js';
import { redisConnectionOptions } from '../../src/queue/redis-connection.js';
import { eventually } from '../support/eventually.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';
import { deleteRedisPrefix } from '../support/test-redis.js';

/** The outbox against real PostgreSQL and Redis: written in the caller's transaction, enqueued after, re-driven after loss. */
describe('outbox', () => {
  let services: ServiceModule;
  let outbox: Outbox;
  let rows: OutboxRepository;
  let profileSync: Queue;

  const write = (profileId: string, commit = true) =>
    services.get(DataSource).transaction(async (manager) => {
      const receipt = await outbox.write([{ kind: 'profile-sync', payload: { profileId, reason: 'updated' } }], manager);
      if (!commit) throw new Error('rolled back');
      return receipt;
    });
  const jobFor = async (profileId: string) =>
    (await profileSync.getJobs(['waiting', 'delayed', 'failed'])).find((job) => job.data.profileId === profileId);

  beforeAll(async () => {
    // A deadline of 0: the sweep looks again at anything not finished.
    services = await startServiceModule('outbox', [OutboxModule], { PUBLICATION_DEADLINE_SECONDS: '0' });
    outbox = services.get(Outbox);
    rows = services.get(OutboxRepository);
    profileSync = services.module.get<Queue>(getQueueToken(QUEUES.profileSync));
  }, 60_000);

  afterAll(async () => {
    await services?.close();
  }, 30_000);

  it('writes nothing when the transaction rolls back', async () => {
    const before = await rows.count();
    await expect(write('rolled-back', false)).rejects.toThrow('rolled back');
    expect(await rows.count()).toBe(before);
  });

  it('enqueues after commit a job that carries the work and its outbox id, and completing it removes the row', async () => {
    const receipt = await write('p-flush');
    outbox.flush(receipt);
    const job = await eventually(() => jobFor('p-flush'));
    expect(job.data).toEqual({ profileId: 'p-flush', reason: 'updated', outboxId: receipt.ids[0] });
    await outbox.complete(job.data.outboxId);
    expect(await rows.count()).toBe(0);
  });

  it('re-enqueues on the sweep what Redis lost, once', async () => {
    const receipt = await write('p-lost');
    outbox.flush(receipt);
    await eventually(() => jobFor('p-lost'));
    await deleteRedisPrefix(services.config.redis.prefix);
    expect(await jobFor('p-lost')).toBeUndefined();
    expect(await outbox.sweep()).toBe(1);
    expect((await jobFor('p-lost'))?.data.outboxId).toBe(receipt.ids[0]);
    // The job is alive now: another sweep leaves it alone.
    expect(await outbox.sweep()).toBe(0);
    await outbox.complete(receipt.ids[0]);
  });

  it('gives a job that failed for good a fresh one, since its work was never done', async () => {
    const receipt = await write('p-failed');
    outbox.flush(receipt);
    await eventually(() => jobFor('p-failed'));
    // A real consumer whose attempt fails for good.
    const worker = new Worker(
      QUEUES.profileSync,
      async () => {
        throw new UnrecoverableError('network down');
      },
      { connection: redisConnectionOptions(services.config.redis.url), prefix: services.config.redis.prefix },
    );
    try {
      await eventually(async () => (await jobFor('p-failed'))?.failedReason === 'network down');
    } finally {
      await worker.close();
    }
    expect(await outbox.sweep()).toBe(1);
    const fresh = await jobFor('p-failed');
    expect(await fresh?.getState()).toMatch(/waiting|delayed/);
    await outbox.complete(receipt.ids[0]);
  });

  it('sweeps rows whose enqueue after commit never happened (a crash between commit and flush)', async () => {
    const receipt = await write('p-crashed');
    expect(await outbox.sweep()).toBe(1);
    expect(await jobFor('p-crashed')).toBeDefined();
    await outbox.complete(receipt.ids[0]);
  });

  it('after ten jobs lost without finishing the work, gives the row up and hands it to whoever records the failure', async () => {
    const givenUp: Array<{ payload: Record<string, unknown>; message: string }> = [];
    outbox.onGiveUp('profile-sync', async (payload, message) => {
      givenUp.push({ payload, message });
    });
    const receipt = await write('p-given-up');
    outbox.flush(receipt);
    await eventually(() => jobFor('p-given-up'));
    // Each job is lost (Redis flushed) before it ran; each sweep hands over a fresh one, ten in all.
    for (let lost = 1; lost < 10; lost++) {
      await deleteRedisPrefix(services.config.redis.prefix);
      expect(await outbox.sweep()).toBe(1);
    }
    expect(givenUp).toEqual([]);
    await deleteRedisPrefix(services.config.redis.prefix);
    expect(await outbox.sweep()).toBe(0);
    expect(givenUp).toEqual([
      { payload: { profileId: 'p-given-up', reason: 'updated' }, message: 'gave up after 10 jobs ended without finishing the work' },
    ]);
  });
});
