import { jest } from '@jest/globals';
import { JsonLogger } from '../../src/common/json-logger.js';
import { BlueskyNetwork } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { SwitchablePlc } from '../support/switchable-plc.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

const DOMAIN = 'netstatus.example.org';

interface Status {
  protocol: string;
  state: string;
  summary: string;
  action: string | null;
  failures: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastWorkedAt: string | null;
}

/**
 * A real Herald whose PLC directory does not answer: Bluesky is "failing" with the cause in plain words,
 * account creation backs off (each wait longer than the last) instead of retrying at once, the log says
 * so once, the public page offers no Bluesky follow, and Try now creates the account once the directory
 * (dev-env's, behind the same address) is reachable, after which the held-back post goes out.
 */
describe('network status and backoff with an unreachable PLC directory', () => {
  let plc: SwitchablePlc;
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let admin: string;
  let editor: string;
  let profileId: string;
  let postId: string;
  const warnings = jest.spyOn(JsonLogger.prototype, 'warn');

  const statuses = async (token = admin): Promise<Status[]> =>
    (await hub.http.get(`/api/profiles/${profileId}/networks`).set('Authorization', `Bearer ${token}`).expect(200)).body;
  const bluesky = async () => (await statuses()).find((status) => status.protocol === 'atproto')!;
  const plcWarnings = () =>
    warnings.mock.calls.filter((call) => call.some((part) => typeof part === 'string' && part.includes('the PLC directory at')));

  beforeAll(async () => {
    plc = await SwitchablePlc.start();
    // Started beside the hub (its PLC directory is switched in later), so its start costs no extra time.
    const starting = BlueskyNetwork.start('netst');
    hub = await startFederatedTestHerald('netst', 'localhost', {
      ATPROTO_PLC_URL: plc.url,
      // Seconds instead of minutes, so the growing waits show within the test.
      NETWORK_RETRY_BASE_SECONDS: '1',
      NETWORK_RETRY_MAX_SECONDS: '120',
    });
    network = await starting;
    network.index({ url: hub.url, domains: [DOMAIN] });
    admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    const created = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'netstatus', domain: DOMAIN, displayName: 'Net Status', protocols: ['activitypub', 'atproto'] })
      .expect(201);
    profileId = created.body.id;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    warnings.mockRestore();
    await network?.close();
    await hub?.close();
    await plc?.close();
  }, CLOSE_TIMEOUT_MS);

  it('says Bluesky is failing because the PLC directory is unreachable, and waits longer after each failure', async () => {
    // Each wait is read from the status as it is after a failure: from the attempt to the next one.
    const waits = new Map<number, number>();
    // The directory's request count as each failure is first seen: it grows only with attempts.
    const requests = new Map<number, number>();
    await eventually(
      async () => {
        const status = await bluesky();
        if (status.failures > 0 && status.nextAttemptAt && status.lastAttemptAt) {
          waits.set(status.failures, Date.parse(status.nextAttemptAt) - Date.parse(status.lastAttemptAt));
          if (!requests.has(status.failures)) requests.set(status.failures, plc.refused);
        }
        return waits.has(4);
      },
      40_000,
      50,
    );
    const status = await bluesky();
    expect(status.state).toBe('failing');
    expect(status.summary).toMatch(
      new RegExp(
        `^Bluesky: the account could not be created because the PLC directory at ${plc.url} is unreachable\\. Herald will try again in \\d+ seconds?\\.$`,
      ),
    );
    expect(status.action).toContain(`the PLC directory at ${plc.url}`);
    const seen = [...waits.entries()].sort(([a], [b]) => a - b).map(([, wait]) => wait);
    // 1 s, 2 s, 4 s, 8 s as configured: each wait longer than the one before.
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(waits.get(4)).toBeGreaterThanOrEqual(7_000);
    // The directory was really asked, and as often per attempt each time: no retries slipped in between the attempts.
    const perAttempt = requests.get(1)!;
    expect(perAttempt).toBeGreaterThan(0);
    expect(plc.refused).toBe(status.failures * perAttempt);
    process.stdout.write(`PLC requests per attempt: ${perAttempt}; waits after failures 1-4 (ms): ${seen.join(', ')}\n`);
    // The fediverse side is unaffected.
    expect((await statuses()).find((each) => each.protocol === 'activitypub')).toMatchObject({ state: 'ready' });
  }, 60_000);

  it('names the failure in the log once for the period, not once per attempt', async () => {
    expect((await bluesky()).failures).toBeGreaterThanOrEqual(4);
    expect(plcWarnings()).toHaveLength(1);
    expect(String(plcWarnings()[0].find((part) => typeof part === 'string'))).toMatch(/^Bluesky: the account could not be created because/);
  });

  it('holds a post back for Bluesky, saying why, while the fediverse gets it', async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Held back for Bluesky', status: 'published' })
      .expect(201);
    postId = post.body.id;
    const publications = await eventually(async () => {
      const found = (await hub.http.get(`/api/posts/${postId}`).set('Authorization', `Bearer ${editor}`).expect(200)).body
        .publications as Array<{
        protocol: string;
        state: string;
        lastError: string | null;
      }>;
      const atproto = found.find((publication) => publication.protocol === 'atproto');
      return atproto?.lastError && found.some((publication) => publication.protocol === 'activitypub' && publication.state === 'published')
        ? found
        : null;
    }, 30_000);
    const atproto = publications.find((publication) => publication.protocol === 'atproto')!;
    expect(atproto.state).toBe('pending');
    expect(atproto.lastError).toMatch(/^waiting: Bluesky: the account could not be created because the PLC directory at /);
  }, 40_000);

  it('offers no Bluesky handle or follow button on the public page while Bluesky is not ready', async () => {
    const page = (await hub.http.get('/@netstatus').expect(200)).text;
    expect(page).toContain('Follow on the fediverse');
    expect(page).not.toContain('Follow on Bluesky');
    expect(page).not.toContain('bsky.app/profile');
  });

  it('lets only an admin press Try now, which attempts at once and, with the directory reachable, creates the account', async () => {
    await hub.http.post(`/api/profiles/${profileId}/networks/atproto/try-now`).set('Authorization', `Bearer ${editor}`).expect(403);
    // Still unreachable: Try now makes an attempt at once, which fails and waits again.
    const before = plc.refused;
    const failures = (await bluesky()).failures;
    const pressed = Date.now();
    const again = await hub.http
      .post(`/api/profiles/${profileId}/networks/atproto/try-now`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(again.body.state).toBe('failing');
    expect(again.body.failures).toBeGreaterThan(failures);
    expect(Date.parse(again.body.lastAttemptAt)).toBeGreaterThanOrEqual(pressed - 1000);
    expect(plc.refused).toBeGreaterThan(before);

    plc.forwardTo(network.network.plc.url);
    const ready = await hub.http
      .post(`/api/profiles/${profileId}/networks/atproto/try-now`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(ready.body).toMatchObject({ state: 'ready', failures: 0, nextAttemptAt: null });
    expect(ready.body.summary).toMatch(/^Bluesky: ready\. The account is @/);
    // The post held back goes out now, not at the end of the wait.
    await eventually(async () => {
      const found = (await hub.http.get(`/api/posts/${postId}`).set('Authorization', `Bearer ${editor}`).expect(200)).body
        .publications as Array<{
        protocol: string;
        state: string;
      }>;
      return found.find((publication) => publication.protocol === 'atproto')?.state === 'published';
    }, 30_000);
    const page = (await hub.http.get('/@netstatus').expect(200)).text;
    expect(page).toContain('Follow on Bluesky');
  }, 60_000);
});
