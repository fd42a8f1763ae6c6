import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startLoopbackFollowers, type LoopbackFollowers } from '../support/loopback-followers.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(60_000);

/**
 * A server that never recovers: its delivery is retried with backoff until
 * AP_DELIVERY_MAX_ATTEMPTS, then given up with the reason, and "did it land?"
 * says so. Retries are a fraction of a second apart here so the whole course runs.
 */
describe('a delivery that keeps failing', () => {
  let hub: TestHerald;
  let followers: LoopbackFollowers;
  let editor: string;
  let profileId: string;

  beforeAll(async () => {
    [hub, followers] = await Promise.all([
      startFederatedTestHerald('ap-give-up', '127.0.0.70', {
        AP_DELIVERY_MAX_ATTEMPTS: '3',
        AP_DELIVERY_RETRY_BASE_SECONDS: '0.2',
        // The breaker would hold the host back for longer than the retries: this test is about giving up.
        AP_DELIVERY_BREAKER_THRESHOLD: '10',
        PUBLICATION_SWEEP_INTERVAL_SECONDS: '1',
      }),
      startLoopbackFollowers([
        { host: '127.0.0.71', mode: 'ok' },
        { host: '127.0.0.72', mode: 'error-500' },
      ]),
    ]);
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'office', domain: 'office.example', displayName: 'The Office', protocols: ['activitypub'] })
      .expect(201);
    profileId = profile.body.id;
    const actorId = `${hub.url}/@office`;
    expect(await followers.follow(actorId, `${actorId}/inbox`)).toEqual([202, 202]);
    await eventually(() => followers.accounts.every((follower) => follower.received.some((activity) => activity.type === 'Accept')));
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await followers?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('gives up after the last attempt, with the reason, and reports it', async () => {
    followers.arm();
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'To a server that stays down', status: 'published' })
      .expect(201);
    const failing = async () =>
      (
        (await hub.herald.app.get(DataSource).query(
          `SELECT d.state, d.attempts, d.last_status, d.last_error, d.next_attempt_at FROM ap_delivery d
           JOIN ap_fanout f ON f.id = d.fanout_id JOIN publication p ON p.id = f.publication_id
           WHERE p.post_id = $1 AND d.host LIKE '127.0.0.72:%'`,
          [post.body.id],
        )) as Array<{ state: string; attempts: number; last_status: number; last_error: string }>
      )[0];
    const row = await eventually(async () => {
      const found = await failing();
      return found?.state === 'given_up' ? found : null;
    }, 30_000);
    expect(row).toMatchObject({ attempts: 3, last_status: 500 });
    expect(row.last_error).toMatch(/gave up after 3 attempts/);
    // Three requests reached the server, no fourth.
    expect(followers.accounts.find((account) => account.mode === 'error-500')!.refused).toBe(3);

    const report = await hub.http.get(`/api/posts/${post.body.id}/delivery`).set('Authorization', `Bearer ${editor}`).expect(200);
    const fediverse = report.body.networks.find((network: { protocol: string }) => network.protocol === 'activitypub');
    expect(fediverse.state).toBe('published');
    expect(fediverse.report.activities[0].deliveries).toMatchObject({ delivered: 1, givenUp: 1, retrying: 0 });
    const server = fediverse.report.activities[0].servers.find((entry: { host: string }) => entry.host.startsWith('127.0.0.72'));
    expect(server).toMatchObject({ state: 'given_up', attempts: 3 });
  });
});
