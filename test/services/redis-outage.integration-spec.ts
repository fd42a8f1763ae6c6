import { connect, createServer, type Server, type Socket } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { StaffPrincipal } from '../../src/access/staff-principal.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { StaffService } from '../../src/auth/staff.service.js';
import { OutboxRepository } from '../../src/outbox/outbox.repository.js';
import { PostsModule } from '../../src/posts/posts.module.js';
import { PostsService } from '../../src/posts/posts.service.js';
import { ProfilesService } from '../../src/profiles/profiles.service.js';
import { QUEUES } from '../../src/queue/queues.js';
import { eventually } from '../support/eventually.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

/**
 * A Redis that hangs: connections are accepted and nothing is answered (the worst case
 * for a client) until `recover()`, when they are joined to the real Redis.
 */
async function hangingRedis(target: URL): Promise<{ port: number; recover(): void; close(): void }> {
  const held: Socket[] = [];
  let recovered = false;
  const join = (client: Socket) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  };
  const server: Server = createServer((client) => (recovered ? join(client) : held.push(client)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    recover() {
      recovered = true;
      held.splice(0).forEach(join);
    },
    close: () => server.close(),
  };
}

/** Redis hanging: what staff save is saved, its follow-up work waits in PostgreSQL, and goes out once Redis is back. */
describe('saving while Redis hangs', () => {
  let redis: Awaited<ReturnType<typeof hangingRedis>>;
  let services: ServiceModule;
  let admin: StaffPrincipal;

  beforeAll(async () => {
    redis = await hangingRedis(new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'));
    const port = redis.port;
    services = await startServiceModule('redisdown', [PostsModule, AuthModule], { REDIS_URL: `redis://127.0.0.1:${port}` });
    const user = await services
      .get(StaffService)
      .create({ email: 'admin@example.test', displayName: 'Admin', password: 'a long enough password', roles: ['admin'] }, null);
    admin = { id: user.id, email: user.email, displayName: user.displayName, roles: ['admin'] };
  }, 60_000);

  afterAll(async () => {
    redis?.recover();
    await services?.close();
    redis?.close();
  }, 30_000);

  it('creates and edits a profile, and publishes a post, with the follow-up work kept in the outbox', async () => {
    const outbox = services.get(OutboxRepository);
    const profiles = services.get(ProfilesService);
    const profile = await profiles.create({ handle: 'offline', domain: 'offline.example.org', displayName: 'Offline' }, admin);
    await profiles.update(profile.id, { displayName: 'Still offline' }, admin);
    const post = await services.get(PostsService).create(profile.id, { kind: 'note', text: 'Saved anyway', status: 'published' }, admin);
    expect(post.status).toBe('published');
    expect(await outbox.count('profile-sync')).toBe(2);
    expect(await outbox.count('publication')).toBe(2);

    redis.recover();
    const publications = services.module.get<Queue>(getQueueToken(QUEUES.publications));
    await eventually(async () => (await publications.getJobs(['waiting', 'delayed'])).length === 2, 15_000);
  });
});
