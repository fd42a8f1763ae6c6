import { jest } from '@jest/globals';
import request from 'supertest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { QUEUES } from '../../src/queue/queues.js';
import { redisConnectionOptions } from '../../src/queue/redis-connection.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startLoopbackFollowers, type LoopbackFollowers } from '../support/loopback-followers.js';
import { htmlProblems } from '../support/html-validity.js';
import { startFederatedTestHerald, TEST_PASSWORD, type TestHerald } from '../support/test-herald.js';
import { TEST_REDIS_URL } from '../support/test-redis.js';

jest.setTimeout(120_000);

/**
 * The fan-out's state is in PostgreSQL: servers that fail, limit, vanish or
 * hang get an outcome each, without holding up the healthy ones; retries reach
 * them once they recover; and a Redis that loses everything loses no delivery.
 */
describe('durable ActivityPub delivery', () => {
  let hub: TestHerald;
  let followers: LoopbackFollowers;
  let editor: string;
  let profileId: string;
  let actorId: string;
  const db = () => hub.herald.app.get(DataSource);
  const account = (mode: string) => followers.accounts.find((candidate) => candidate.mode === mode)!;
  const creates = (mode: string, objectId: string) =>
    account(mode).received.filter((activity) => activity.type === 'Create' && activity.id.startsWith(objectId)).length;
  const deliveries = (postId: string) =>
    db().query(
      `SELECT d.host, d.state, d.attempts, d.last_status, d.last_error, d.first_outcome_at FROM ap_delivery d
       JOIN ap_fanout f ON f.id = d.fanout_id JOIN publication p ON p.id = f.publication_id
       WHERE p.post_id = $1 ORDER BY d.host`,
      [postId],
    ) as Promise<
      Array<{
        host: string;
        state: string;
        attempts: number;
        last_status: number | null;
        last_error: string | null;
        first_outcome_at: Date;
      }>
    >;
  const fediverseState = async (postId: string) =>
    (
      (await db().query(`SELECT state FROM publication WHERE post_id = $1 AND protocol = 'activitypub'`, [postId])) as Array<{
        state: string;
      }>
    )[0]?.state;
  const publish = async (text: string) => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text, status: 'published' })
      .expect(201);
    return { postId: post.body.id as string, objectId: `${actorId}/posts/${post.body.id}` };
  };

  beforeAll(async () => {
    [hub, followers] = await Promise.all([
      startFederatedTestHerald('ap-durable', '127.0.0.60', {
        AP_DELIVERY_TIMEOUT_SECONDS: '2',
        AP_DELIVERY_RETRY_BASE_SECONDS: '1',
        AP_DELIVERY_BREAKER_THRESHOLD: '2',
        AP_DELIVERY_BREAKER_OPEN_SECONDS: '1',
        PUBLICATION_SWEEP_INTERVAL_SECONDS: '1',
        PUBLICATION_DEADLINE_SECONDS: '1',
      }),
      startLoopbackFollowers([
        { host: '127.0.0.61', mode: 'ok' },
        { host: '127.0.0.62', mode: 'error-500' },
        { host: '127.0.0.63', mode: 'rate-limited' },
        { host: '127.0.0.64', mode: 'gone' },
        { host: '127.0.0.65', mode: 'hanging' },
      ]),
    ]);
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor'], 'delivery-editor@example.test');
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'ngo', domain: 'ngo.example', displayName: 'An NGO', protocols: ['activitypub'] })
      .expect(201);
    profileId = profile.body.id;
    actorId = `${hub.url}/@ngo`;
    expect(await followers.follow(actorId, `${hub.url}/@ngo/inbox`)).toEqual([202, 202, 202, 202, 202]);
    // Each follow is answered with an Accept, through the same durable path.
    await eventually(() => followers.accounts.every((follower) => follower.received.some((activity) => activity.type === 'Accept')));
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await followers?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('gives every destination an outcome before the post counts as published, healthy ones first', async () => {
    followers.arm();
    const { postId, objectId } = await publish('Out to five servers');
    await eventually(() => creates('ok', objectId) === 1);
    expect(await fediverseState(postId)).toBe('pending');
    await eventually(async () => (await fediverseState(postId)) === 'published');
    const rows = await deliveries(postId);
    // The hanging server held its request until its 2 s deadline; the healthy one did not wait for it.
    const outcomeAt = (host: string) => rows.find((row) => row.host.startsWith(host))!.first_outcome_at.getTime();
    expect(outcomeAt('127.0.0.61')).toBeLessThan(outcomeAt('127.0.0.65'));
    const byHost = Object.fromEntries(rows.map((row) => [row.host.split(':')[0], row]));
    expect(byHost['127.0.0.61']).toMatchObject({ state: 'delivered', attempts: 1, last_status: 202 });
    expect(byHost['127.0.0.62']).toMatchObject({ state: 'pending', last_status: 500 });
    expect(byHost['127.0.0.63']).toMatchObject({ state: 'pending', last_status: 429 });
    expect(byHost['127.0.0.64']).toMatchObject({ state: 'gone', last_status: 410 });
    expect(byHost['127.0.0.65']).toMatchObject({ state: 'pending', last_error: 'no answer within 2 s' });

    // The same, as the API tells an analyst ("did it land?").
    const report = await hub.http.get(`/api/posts/${postId}/delivery`).set('Authorization', `Bearer ${editor}`).expect(200);
    const fediverse = report.body.networks.find((network: { protocol: string }) => network.protocol === 'activitypub');
    expect(fediverse.state).toBe('published');
    expect(fediverse.report.activities).toHaveLength(1);
    expect(fediverse.report.activities[0]).toMatchObject({
      activityType: 'Create',
      audience: { followers: 5, inboxes: 5, servers: 5 },
      deliveries: { delivered: 1, gone: 1, givenUp: 0, retrying: 3, untried: 0 },
    });
    expect(fediverse.report.activities[0].lastDeliveredAfterMs).toBeGreaterThanOrEqual(0);
    const hanging = fediverse.report.activities[0].servers.find((server: { host: string }) => server.host.startsWith('127.0.0.65'));
    expect(hanging).toMatchObject({ state: 'pending', attempts: 1, lastError: 'no answer within 2 s' });

    // And in the console, linked from the post list.
    const login = await request(hub.url)
      .post('/api/auth/login')
      .send({ email: 'delivery-editor@example.test', password: TEST_PASSWORD })
      .expect(200);
    const cookie = login.headers['set-cookie'] as unknown as string[];
    const posts = await request(hub.url).get(`/admin/profiles/${profileId}/posts`).set('Cookie', cookie).expect(200);
    expect(posts.text).toContain(`<a href="/admin/posts/${postId}/delivery">Did it land?</a>`);
    const page = await request(hub.url).get(`/admin/posts/${postId}/delivery`).set('Cookie', cookie).expect(200);
    expect(page.text).toMatch(/1 delivered, 3 retrying, 0 given up,\s+1 gone/);
    expect(page.text).toMatch(
      /<th scope="row">127\.0\.0\.65:\d+<\/th>\s*<td>retrying<\/td>\s*<td>1<\/td>\s*<td>no answer within 2 s<\/td>/,
    );
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('ends the follower whose server answered 410 Gone', async () => {
    const active = await db().query(`SELECT remote_actor_id FROM follower WHERE until IS NULL ORDER BY remote_actor_id`);
    expect(active.map((row: { remote_actor_id: string }) => row.remote_actor_id)).not.toContain(account('gone').actorId);
    expect(active).toHaveLength(4);
  });

  it('reaches the failing servers by retrying once they recover, each exactly once', async () => {
    const { objectId } = await publish('Retried until it lands');
    await eventually(async () => {
      const rows = await db().query(`SELECT count(*)::int AS n FROM ap_delivery WHERE state = 'pending' AND attempts > 0`);
      return rows[0].n >= 3;
    });
    // Two failures in a row: the failing hosts are held back by the breaker (timeouts count as failures).
    const host = (mode: string) => new URL(account(mode).inbox).host;
    const health = async (mode: string) =>
      (
        (await db().query(`SELECT consecutive_failures, open_until FROM ap_delivery_host WHERE host = $1`, [host(mode)])) as Array<{
          consecutive_failures: number;
          open_until: Date | null;
        }>
      )[0];
    for (const mode of ['error-500', 'hanging']) {
      await eventually(async () => ((await health(mode))?.consecutive_failures ?? 0) >= 2);
      expect((await health(mode)).open_until).not.toBeNull();
    }
    followers.disarm();
    await eventually(() => ['ok', 'error-500', 'rate-limited', 'hanging'].every((mode) => creates(mode, objectId) === 1), 30_000);
    expect(creates('gone', objectId)).toBe(0);
    // One success closes the breaker.
    for (const mode of ['error-500', 'hanging']) expect(await health(mode)).toEqual({ consecutive_failures: 0, open_until: null });
  });

  it('loses no delivery when Redis loses everything mid-fan-out, and never queues a private key', async () => {
    followers.arm();
    const { postId, objectId } = await publish('Through a Redis loss');
    await eventually(async () => (await deliveries(postId)).some((row) => row.state === 'pending' && row.attempts > 0));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await scanAll(redis, `${hub.config.redis.prefix}:*`);
      // Nothing Herald keeps in Redis holds a private key (JWK private members or PEM).
      for (const key of keys) {
        const type = await redis.type(key);
        const dump = type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'string' ? ((await redis.get(key)) ?? '') : '';
        expect(dump).not.toMatch(/"d":"|PRIVATE KEY|privateKey/);
      }
      // A FLUSHALL as far as this hub is concerned (the machine's Redis is shared).
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    followers.disarm();
    await eventually(() => ['ok', 'error-500', 'rate-limited', 'hanging'].every((mode) => creates(mode, objectId) === 1), 60_000);
    await eventually(async () => (await deliveries(postId)).every((row) => row.state !== 'pending'), 30_000);
    // The repeatable jobs that vanished with the keys are back, re-created by the sweep (no restart).
    const maintenance = new Queue(QUEUES.maintenance, {
      prefix: hub.config.redis.prefix,
      connection: redisConnectionOptions(TEST_REDIS_URL),
    });
    try {
      await eventually(async () => (await maintenance.getJobSchedulers()).some((scheduler) => scheduler.key === 'maintenance'));
    } finally {
      await maintenance.close();
    }
  });
});

async function scanAll(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
