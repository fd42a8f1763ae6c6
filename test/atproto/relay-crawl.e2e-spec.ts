import type { RelayCrawlReport } from '../../src/protocols/atproto/relay-status.js';
import { AtpAgent } from '@atproto/api';
import { jest } from '@jest/globals';
import request from 'supertest';
import { BlueskyNetwork } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { htmlProblems } from '../support/html-validity.js';
import { freePort, startTestHerald, TEST_PASSWORD, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(180_000);

const DOMAIN = 'relayed.example.org';

/**
 * "Did it land?" on Bluesky asks the relays the embedded PDS tells about its updates (ATPROTO_CRAWLERS)
 * whether they know the profile's repo, with com.atproto.sync.getRepoStatus. dev-env has no relay, so
 * two real servers of that XRPC method stand in: the network's own PDS, which has never crawled the
 * hub (it answers RepoNotFound), and the hub's PDS itself, which holds the repo at our revision.
 */
describe('"did it land?" on Bluesky: the relays asked to crawl the hub', () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let editor: string;
  let profileId: string;

  beforeAll(async () => {
    network = await BlueskyNetwork.start('relay');
    const port = await freePort('localhost');
    const self = `http://localhost:${port}`;
    hub = await startTestHerald('relay', {
      HOST: 'localhost',
      PORT: String(port),
      PUBLIC_URL: self,
      ...network.heraldEnv(),
      ATPROTO_CRAWLERS: `${network.network.pds.url},${self}`,
    });
    network.index({ url: hub.url, domains: [DOMAIN] });
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor'], 'editor@relay.test');
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'relayed', domain: DOMAIN, displayName: 'Relayed', protocols: ['atproto'] })
      .expect(201);
    profileId = profile.body.id;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await network?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it("reports each relay's knowledge of the repo and its revision against ours, in the API and the console", async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Which relays know us?', status: 'published' })
      .expect(201);
    const postId = post.body.id as string;
    const delivery = await eventually(async () => {
      const response = await hub.http.get(`/api/posts/${postId}/delivery`).set('Authorization', `Bearer ${editor}`).expect(200);
      const bluesky = response.body.networks.find((each: { protocol: string }) => each.protocol === 'atproto');
      return bluesky?.state === 'published' ? bluesky : null;
    }, 60_000);
    const relay = delivery.report.relay as RelayCrawlReport;

    // Our revision, as the hub's PDS gives it to anyone who asks.
    const hubPds = new AtpAgent({ service: hub.url });
    const did = (await hubPds.com.atproto.identity.resolveHandle({ handle: DOMAIN })).data.did;
    const latest = await hubPds.com.atproto.sync.getLatestCommit({ did });
    expect(relay.ourRev).toBe(latest.data.rev);

    expect(relay.relays).toEqual([
      { relay: network.network.pds.url, reachable: true, knowsRepo: false, rev: null, upToDate: false },
      { relay: hub.url, reachable: true, knowsRepo: true, active: true, rev: latest.data.rev, upToDate: true },
    ]);

    const login = await request(hub.url).post('/api/auth/login').send({ email: 'editor@relay.test', password: TEST_PASSWORD }).expect(200);
    const page = await request(hub.url)
      .get(`/admin/posts/${postId}/delivery`)
      .set('Cookie', login.headers['set-cookie'] as unknown as string[])
      .expect(200);
    const text = page.text.replace(/\s+/g, ' ');
    expect(text).toContain(`Relay <code>${new URL(network.network.pds.url).host}</code>: does not know this account’s repository yet.`);
    expect(text).toContain(
      `Relay <code>${new URL(hub.url).host}</code>: knows the repository at revision <code>${latest.data.rev}</code>, up to date.`,
    );
    expect(await htmlProblems(page.text)).toEqual([]);
  });
});
