import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { BlueskyNetwork, type BlueskyUser } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(180_000);

const DOMAIN = 'newsroom.example.org';

/**
 * Herald against the real AT Protocol network of @atproto/dev-env: its
 * embedded PDS registers the profile's DID on the network's PLC, the
 * AppView crawls the hub's firehose, and a person on the network's own PDS
 * follows, replies, likes and reposts.
 */
describe('Herald on a real Bluesky network', () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let profileId: string;
  let editor: string;
  let did: string;
  let alice: BlueskyUser;
  const rows = (sql: string, params: unknown[] = []) => hub.herald.app.get(DataSource).query(sql, params) as Promise<Array<Record<string, unknown>>>;

  async function publish(text: string): Promise<{ postId: string; refs: { uri: string; cid: string }[] }> {
    const post = await hub.http.post(`/api/profiles/${profileId}/posts`).set('Authorization', `Bearer ${editor}`).send({ kind: 'note', text, status: 'published' }).expect(201);
    const [publication] = await eventually(async () => {
      const found = await rows(`SELECT state, remote_refs, last_error FROM publication WHERE post_id = $1 AND protocol = 'atproto'`, [post.body.id]);
      if (found[0]?.state === 'failed') throw new Error(`publication failed: ${String(found[0].last_error)}`);
      return found[0]?.state === 'published' ? found : null;
    }, 60_000);
    return { postId: post.body.id, refs: (publication.remote_refs as { parts: { uri: string; cid: string }[] }).parts };
  }

  beforeAll(async () => {
    network = await BlueskyNetwork.start('atnet');
    hub = await startFederatedTestHerald('atnet', 'localhost', { ...network.heraldEnv(), ATPROTO_POLL_INTERVAL_SECONDS: '1' });
    network.index({ url: hub.url, domains: [DOMAIN] });
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'newsroom', domain: DOMAIN, displayName: 'The Newsroom', bio: 'News from the newsroom', protocols: ['activitypub', 'atproto'] })
      .expect(201);
    profileId = profile.body.id;
    alice = await network.createUser('alice');
  });

  afterAll(async () => {
    // The network first: its subscription holds a websocket open on the hub.
    await network?.close();
    await hub?.close();
  });

  it("gives the profile a Bluesky account whose handle is the profile's domain, verified at the hub", async () => {
    const [account] = await eventually(() => rows(`SELECT did, handle FROM atproto_account WHERE profile_id = $1`, [profileId]).then((found) => (found.length ? found : null)), 60_000);
    did = account.did as string;
    expect(account.handle).toBe(DOMAIN);
    const profile = await eventually(async () => {
      await network.settle();
      const view = await network.appView.getProfile({ actor: did });
      return view.data.handle === DOMAIN && view.data.displayName ? view.data : null;
    }, 60_000);
    expect(profile).toMatchObject({ did, handle: DOMAIN, displayName: 'The Newsroom', description: 'News from the newsroom' });
  });

  it('publishes a post that a Bluesky user sees in the AppView', async () => {
    const { refs } = await publish('Hello Bluesky from #Herald https://example.org/news');
    const view = await eventually(async () => {
      await network.settle();
      const found = await alice.agent.app.bsky.feed.getPosts({ uris: [refs[0].uri] }).catch(() => null);
      return found?.data.posts[0] ?? null;
    }, 60_000);
    expect(view.author.did).toBe(did);
    expect((view.record as { text: string }).text).toBe('Hello Bluesky from #Herald https://example.org/news');
  });
});
