import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { FirehoseSubscription } from '../../src/protocols/atproto/firehose/firehose-subscription.js';
import { BlueskyNetwork, type BlueskyUser } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startFederatedTestHerald, startTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(180_000);

interface Ref {
  uri: string;
  cid: string;
}

/**
 * Bluesky interactions read from the firehose: a worker subscribes to the dev-env PDS where Alice lives, and the
 * notification poll runs once a day, so only the firehose can bring her records in within seconds.
 */
describe('Bluesky interactions from the firehose', () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let worker: TestHerald | null = null;
  let profileId: string;
  let editor: string;
  let did: string;
  let alice: BlueskyUser;
  let subject: Ref;
  let postId: string;
  const rows = (sql: string, params: unknown[] = []) =>
    hub.herald.app.get(DataSource).query(sql, params) as Promise<Array<Record<string, unknown>>>;
  const fromAlice = () =>
    rows(
      `SELECT kind, remote_id, target_post_id, content_text, reply_refs, author_handle, withdrawn_at FROM interaction
       WHERE profile_id = $1 AND author_id = $2 ORDER BY remote_created_at, kind`,
      [profileId, alice.did],
    );
  const startWorker = async (label = 'athosew') => {
    worker = await startTestHerald(
      label,
      {
        ...network.heraldEnv(),
        HERALD_ROLE: 'worker',
        ATPROTO_PDS_URL: hub.url,
        ATPROTO_FIREHOSE_URL: network.network.pds.url.replace(/^http/, 'ws'),
        ATPROTO_POLL_INTERVAL_SECONDS: String(24 * 60 * 60),
      },
      hub,
    );
  };
  /** How long after Alice's write the row with this record URI is in the inbox. */
  async function arrival(uri: string, since: number): Promise<number> {
    await eventually(async () => (await rows(`SELECT 1 FROM interaction WHERE remote_id = $1`, [uri])).length > 0, 10_000, 20);
    return Date.now() - since;
  }

  beforeAll(async () => {
    network = await BlueskyNetwork.start('athose');
    hub = await startFederatedTestHerald('athose', 'localhost', { ...network.heraldEnv(), HERALD_ROLE: 'web' });
    await startWorker();
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'desk', domain: 'desk.example.org', displayName: 'The Desk', protocols: ['atproto'] })
      .expect(201);
    profileId = profile.body.id;
    alice = await network.createUser('alice');
    // The AppView knows Alice (the firehose path reads her handle there) before she writes anything.
    await network.settle();
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'What should we cover next?', status: 'published' })
      .expect(201);
    postId = post.body.id;
    const [publication] = await eventually(async () => {
      const found = await rows(`SELECT state, remote_refs FROM publication WHERE post_id = $1 AND protocol = 'atproto'`, [postId]);
      return found[0]?.state === 'published' ? found : null;
    }, 60_000);
    subject = (publication.remote_refs as { parts: Ref[] }).parts[0];
    [{ did }] = (await rows(`SELECT did FROM atproto_account WHERE profile_id = $1`, [profileId])) as Array<{ did: string }>;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await hub?.close();
    await network?.close();
  }, CLOSE_TIMEOUT_MS);

  it('takes in a reply, like, repost, quote, mention and follow within seconds, with the poll a day away', async () => {
    const latencies: Record<string, number> = {};
    let since = Date.now();
    const reply = await alice.agent.post({ text: 'Local elections, please!', reply: { root: subject, parent: subject } });
    latencies.reply = await arrival(reply.uri, since);
    since = Date.now();
    const like = await alice.agent.like(subject.uri, subject.cid);
    latencies.like = await arrival(like.uri, since);
    since = Date.now();
    const repost = await alice.agent.repost(subject.uri, subject.cid);
    latencies.repost = await arrival(repost.uri, since);
    since = Date.now();
    const quote = await alice.agent.post({ text: 'Good question', embed: { $type: 'app.bsky.embed.record', record: subject } });
    latencies.quote = await arrival(quote.uri, since);
    since = Date.now();
    const text = 'Asking @desk about it';
    const mention = await alice.agent.post({
      text,
      facets: [{ index: { byteStart: 7, byteEnd: 12 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] }],
    });
    latencies.mention = await arrival(mention.uri, since);
    since = Date.now();
    const follow = await alice.agent.follow(did);
    latencies.follow = await arrival(follow.uri, since);
    // The goal is 2 s; the bound leaves room for a busy shared test machine.
    for (const latency of Object.values(latencies)) expect(latency).toBeLessThan(5_000);

    const interactions = await fromAlice();
    expect(interactions.map((row) => row.kind)).toEqual(['reply', 'like', 'repost', 'quote', 'mention', 'follow']);
    expect(interactions[0]).toMatchObject({
      remote_id: reply.uri,
      target_post_id: postId,
      content_text: 'Local elections, please!',
      author_handle: 'alice.test',
      reply_refs: { root: subject, parent: { uri: reply.uri, cid: reply.cid } },
    });
    for (const row of interactions.filter((row) => ['like', 'repost', 'quote'].includes(row.kind as string)))
      expect(row.target_post_id).toBe(postId);
    const followers = await rows(`SELECT follow_id, until FROM follower WHERE profile_id = $1 AND remote_actor_id = $2`, [
      profileId,
      alice.did,
    ]);
    expect(followers).toEqual([{ follow_id: follow.uri, until: null }]);
  });

  it('withdraws a deleted like and ends a deleted follow', async () => {
    const [like] = await rows(`SELECT remote_id FROM interaction WHERE author_id = $1 AND kind = 'like'`, [alice.did]);
    const [follower] = await rows(`SELECT follow_id FROM follower WHERE remote_actor_id = $1`, [alice.did]);
    await alice.agent.deleteLike(like.remote_id as string);
    await alice.agent.deleteFollow(follower.follow_id as string);
    await eventually(async () => {
      const [row] = await rows(`SELECT withdrawn_at FROM interaction WHERE remote_id = $1`, [like.remote_id]);
      return row.withdrawn_at !== null;
    }, 10_000);
    // The follower ends, then the inbox hears of it.
    await eventually(async () => (await fromAlice()).some((row) => row.kind === 'unfollow'), 10_000);
    const [ended] = await rows(`SELECT until FROM follower WHERE remote_actor_id = $1`, [alice.did]);
    expect(ended.until).not.toBeNull();
    expect((await fromAlice()).filter((row) => row.kind === 'unfollow')).toHaveLength(1);
  });

  it('resumes from its stored cursor after a restart, taking in what was written meanwhile once', async () => {
    const before = await fromAlice();
    const [{ seq: stored }] = await eventually(() =>
      rows(`SELECT seq FROM atproto_firehose_cursor`).then((found) => found.length > 0 && found),
    );
    await worker!.close();
    worker = null;
    // Written while no subscriber runs: only the stored cursor can bring it in.
    const missed = await alice.agent.post({ text: 'Are you still there?', reply: { root: subject, parent: subject } });
    await startWorker();
    await eventually(async () => (await rows(`SELECT 1 FROM interaction WHERE remote_id = $1`, [missed.uri])).length > 0, 15_000);
    const after = await fromAlice();
    expect(after.map((row) => row.remote_id)).toEqual([...before.map((row) => row.remote_id), missed.uri]);
    const events = await rows(`SELECT count(*)::int AS count FROM event_log WHERE profile_id = $1 AND type = 'interaction.received'`, [
      profileId,
    ]);
    expect(events[0].count).toBe(after.length);
    const [{ seq }] = await rows(`SELECT seq FROM atproto_firehose_cursor`);
    expect(Number(seq)).toBeGreaterThan(Number(stored));
  });

  it('has one reader per hub: a second worker stands by, and takes over when the reader stops', async () => {
    const reader = () => worker!.herald.app.get(FirehoseSubscription);
    await eventually(() => reader().isReader, 10_000);
    const first = worker!;
    await startWorker('athosew2');
    const second = worker!;
    expect(second.herald.app.get(FirehoseSubscription).isReader).toBe(false);
    expect(first.herald.app.get(FirehoseSubscription).isReader).toBe(true);
    await first.close();
    // The stand-by asks again every 15 s.
    await eventually(() => second.herald.app.get(FirehoseSubscription).isReader, 30_000);
    const since = Date.now();
    const reply = await alice.agent.post({ text: 'Who reads this now?', reply: { root: subject, parent: subject } });
    expect(await arrival(reply.uri, since)).toBeLessThan(15_000);
  }, 90_000);
});

describe('a firehose that accepts connections and never answers', () => {
  let silent: Server;
  const connections: Socket[] = [];
  let worker: TestHerald;

  beforeAll(async () => {
    silent = createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    // Role all: a worker that also migrates its fresh database.
    worker = await startTestHerald('athang', { ATPROTO_FIREHOSE_URL: `ws://127.0.0.1:${port}` });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  }, CLOSE_TIMEOUT_MS);

  it('gives up on a connect that never completes, dials again, and lets the worker stop at once', async () => {
    await eventually(() => connections.length >= 1, 10_000);
    // The connect timeout (10 s) ends the first attempt; after a backoff the worker dials again.
    await eventually(() => connections.length >= 2, 40_000);
    const started = Date.now();
    await worker.close();
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
