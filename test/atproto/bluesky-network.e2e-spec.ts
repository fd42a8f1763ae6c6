import { AtpAgent, RichText } from '@atproto/api';
import { jest } from '@jest/globals';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { NotificationIngest } from '../../src/protocols/atproto/notifications/notification-ingest.js';
import { PublicationRunner } from '../../src/publishing/publication-runner.js';
import { BlueskyNetwork, type BlueskyUser } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

jest.setTimeout(180_000);

const DOMAIN = 'newsroom.example.org';

interface Ref {
  uri: string;
  cid: string;
}

interface ThreadView {
  post: { uri: string; author: { did: string }; record: { text: string; reply?: { root: Ref; parent: Ref } } };
  parent?: ThreadView;
  replies?: ThreadView[];
}

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
  let admin: string;
  let editor: string;
  let moderator: string;
  let did: string;
  let alice: BlueskyUser;
  let aliceFollow: string;
  const rows = (sql: string, params: unknown[] = []) =>
    hub.herald.app.get(DataSource).query(sql, params) as Promise<Array<Record<string, unknown>>>;
  const fromAlice = () =>
    rows(
      `SELECT id, kind, target_post_id, content_text, reply_refs FROM interaction WHERE profile_id = $1 AND author_id = $2 ORDER BY kind`,
      [profileId, alice.did],
    );

  async function published(postId: string): Promise<{ id: string; remoteId: string; refs: Ref[] }> {
    const [publication] = await eventually(async () => {
      const found = await rows(
        `SELECT id, state, remote_id, remote_refs, last_error FROM publication WHERE post_id = $1 AND protocol = 'atproto'`,
        [postId],
      );
      if (found[0]?.state === 'failed') throw new Error(`publication failed: ${String(found[0].last_error)}`);
      return found[0]?.state === 'published' ? found : null;
    }, 60_000);
    return {
      id: publication.id as string,
      remoteId: publication.remote_id as string,
      refs: (publication.remote_refs as { parts: Ref[] }).parts,
    };
  }

  async function publish(text: string): Promise<{ postId: string; publicationId: string; remoteId: string; refs: Ref[] }> {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text, status: 'published' })
      .expect(201);
    const publication = await published(post.body.id);
    return { postId: post.body.id, publicationId: publication.id, remoteId: publication.remoteId, refs: publication.refs };
  }

  /** The AppView's view of a record once it has indexed it, as Alice's client would load it. */
  async function seenByAlice(uri: string) {
    return eventually(async () => {
      await network.settle();
      const found = await alice.agent.app.bsky.feed.getPosts({ uris: [uri] });
      return found.data.posts[0] ?? null;
    }, 60_000);
  }

  async function thread(uri: string, parentHeight = 0): Promise<ThreadView> {
    const response = await alice.agent.app.bsky.feed.getPostThread({ uri, depth: 1, parentHeight });
    return response.data.thread as unknown as ThreadView;
  }

  beforeAll(async () => {
    network = await BlueskyNetwork.start('atnet');
    hub = await startFederatedTestHerald('atnet', 'localhost', { ...network.heraldEnv(), ATPROTO_POLL_INTERVAL_SECONDS: '1' });
    network.index({ url: hub.url, domains: [DOMAIN] });
    admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    moderator = await hub.login(['moderator']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        handle: 'newsroom',
        domain: DOMAIN,
        displayName: 'The Newsroom',
        bio: 'News from the newsroom',
        protocols: ['activitypub', 'atproto'],
      })
      .expect(201);
    profileId = profile.body.id;
    alice = await network.createUser('alice');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    // The network first: its subscription holds a websocket open on the hub.
    await network?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it("gives the profile a Bluesky account whose handle is the profile's domain, verified at the hub", async () => {
    // The account starts on a service handle and moves to the profile's domain once the PDS has verified it.
    const [account] = await eventually(async () => {
      const found = await rows(`SELECT did, handle FROM atproto_account WHERE profile_id = $1`, [profileId]);
      return found[0]?.handle === DOMAIN ? found : null;
    }, 60_000);
    did = account.did as string;
    const profile = await eventually(async () => {
      await network.settle();
      const view = await network.appView.getProfile({ actor: did });
      return view.data.handle === DOMAIN && view.data.displayName ? view.data : null;
    }, 60_000);
    expect(profile).toMatchObject({ did, handle: DOMAIN, displayName: 'The Newsroom', description: 'News from the newsroom' });
    // Alice finds the profile by its domain, as anyone on Bluesky would.
    const resolved = await alice.agent.com.atproto.identity.resolveHandle({ handle: DOMAIN });
    expect(resolved.data.did).toBe(did);
  });

  it("keeps the Bluesky profile in sync: a new avatar and banner go up as blobs on the hub's PDS", async () => {
    const upload = async (width: number, height: number, name: string) => {
      const image = await sharp({ create: { width, height, channels: 3, background: '#1d4ed8' } })
        .png()
        .toBuffer();
      const response = await hub.http
        .post(`/api/profiles/${profileId}/media`)
        .set('Authorization', `Bearer ${admin}`)
        .attach('file', image, { filename: name, contentType: 'image/png' })
        .expect(201);
      return response.body.id as string;
    };
    const avatarMediaId = await upload(400, 400, 'avatar.png');
    const bannerMediaId = await upload(1500, 500, 'banner.png');
    await hub.http
      .patch(`/api/profiles/${profileId}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ displayName: 'The Newsroom Desk', avatarMediaId, bannerMediaId })
      .expect(200);

    const view = await eventually(async () => {
      await network.settle();
      const found = await alice.agent.getProfile({ actor: did });
      return found.data.displayName === 'The Newsroom Desk' && found.data.avatar && found.data.banner ? found.data : null;
    }, 60_000);
    expect(view.description).toBe('News from the newsroom');
    const hubPds = new AtpAgent({ service: hub.url });
    const record = (await hubPds.com.atproto.repo.getRecord({ repo: did, collection: 'app.bsky.actor.profile', rkey: 'self' })).data
      .value as { avatar: { ref: { toString(): string } } };
    const blob = await hubPds.com.atproto.sync.getBlob({ did, cid: record.avatar.ref.toString() });
    expect(blob.headers['content-type']).toMatch(/^image\//);
    expect(blob.data.byteLength).toBeGreaterThan(100);
  });

  it('publishes a post that a Bluesky user sees in the AppView, with its facets', async () => {
    const { postId, refs } = await publish('Hello Bluesky from #Herald https://example.org/news');
    const view = await seenByAlice(refs[0].uri);
    expect(view.author).toMatchObject({ did, handle: DOMAIN });
    // "Did it land?" from the API: the record, and the AppView showing it.
    const delivery = await hub.http.get(`/api/posts/${postId}/delivery`).set('Authorization', `Bearer ${editor}`).expect(200);
    expect(delivery.body.networks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          protocol: 'atproto',
          state: 'published',
          report: expect.objectContaining({
            uri: refs[0].uri,
            appView: expect.objectContaining({ reachable: true, shows: true }),
            // No ATPROTO_CRAWLERS on a hub in tests: no relay is asked, and the report says so with an empty list.
            relay: { ourRev: null, relays: [] },
          }),
        }),
      ]),
    );
    const record = view.record as { text: string; facets: Array<{ features: Array<{ $type: string }> }> };
    expect(record.text).toBe('Hello Bluesky from #Herald https://example.org/news');
    expect(record.facets.flatMap((facet) => facet.features.map((feature) => feature.$type)).sort()).toEqual([
      'app.bsky.richtext.facet#link',
      'app.bsky.richtext.facet#tag',
    ]);
  });

  it('sends an edit of a published post as an update of the same record, which the AppView then shows', async () => {
    const { postId, publicationId, refs } = await publish('Doors open at nine.');
    await seenByAlice(refs[0].uri);
    await hub.http.patch(`/api/posts/${postId}`).set('Authorization', `Bearer ${admin}`).send({ text: 'Doors open at ten.' }).expect(200);
    await eventually(async () => {
      const [row] = await rows(`SELECT state, action FROM publication WHERE id = $1`, [publicationId]);
      return row.state === 'published' && row.action === 'update';
    }, 60_000);
    const edited = await eventually(async () => {
      await network.settle();
      const found = (await alice.agent.app.bsky.feed.getPosts({ uris: [refs[0].uri] })).data.posts[0];
      return (found?.record as { text?: string } | undefined)?.text === 'Doors open at ten.' ? found : null;
    }, 60_000);
    expect(edited.uri).toBe(refs[0].uri);
  });

  it('takes in a follow, reply, mention, quote, like and repost from Bluesky, each once, with the counts', async () => {
    const { postId, refs } = await publish('Tell us what you think of the new format.');
    const subject = { uri: refs[0].uri, cid: refs[0].cid };
    await seenByAlice(subject.uri);

    aliceFollow = (await alice.agent.follow(did)).uri;
    await alice.agent.like(subject.uri, subject.cid);
    await alice.agent.repost(subject.uri, subject.cid);
    const reply = await alice.agent.post({ text: 'Great news!', reply: { root: subject, parent: subject } });
    await alice.agent.post({ text: 'Worth reading', embed: { $type: 'app.bsky.embed.record', record: subject } });
    const mention = new RichText({ text: `Asking @${DOMAIN} about it` });
    await mention.detectFacets(alice.agent);
    await alice.agent.post({ text: mention.text, facets: mention.facets });
    await network.settle();

    // The hub's own polling job brings them in.
    const kinds = ['follow', 'like', 'mention', 'quote', 'reply', 'repost'];
    await eventually(async () => ((await fromAlice()).map((row) => row.kind).join() === kinds.join() ? true : null), 60_000);
    // Seen again, stored once.
    const ingest = hub.herald.app.get(NotificationIngest);
    await ingest.poll(profileId);
    await ingest.poll(profileId);
    const interactions = await fromAlice();
    expect(interactions.map((row) => row.kind)).toEqual(kinds);

    const replyRow = interactions.find((row) => row.kind === 'reply')!;
    expect(replyRow).toMatchObject({
      target_post_id: postId,
      content_text: 'Great news!',
      reply_refs: { root: subject, parent: { uri: reply.uri, cid: reply.cid } },
    });
    for (const kind of ['like', 'repost', 'quote']) expect(interactions.find((row) => row.kind === kind)!.target_post_id).toBe(postId);

    const followers = await rows(`SELECT protocol, handle, until FROM follower WHERE profile_id = $1 AND remote_actor_id = $2`, [
      profileId,
      alice.did,
    ]);
    expect(followers).toEqual([{ protocol: 'atproto', handle: 'alice.test', until: null }]);

    const snapshots = await rows(
      `SELECT likes, reposts, replies, quotes FROM metric_snapshot WHERE post_id = $1 AND protocol = 'atproto' ORDER BY taken_at DESC`,
      [postId],
    );
    expect(snapshots[0]).toEqual({ likes: 1, reposts: 1, replies: 1, quotes: 1 });
    // Polled every second, but a snapshot is only written when the counts change.
    const distinct = new Set(snapshots.map((snapshot) => JSON.stringify(snapshot)));
    expect(distinct.size).toBe(snapshots.length);
  });

  it('answers a Bluesky reply from the inbox as a Bluesky reply in the same thread', async () => {
    const replyRow = (await fromAlice()).find((row) => row.kind === 'reply')!;
    const refs = replyRow.reply_refs as { root: Ref; parent: Ref };
    const answer = await hub.http
      .post(`/api/inbox/${String(replyRow.id)}/answer`)
      .set('Authorization', `Bearer ${moderator}`)
      .send({ text: 'Thank you, Alice!' })
      .expect(201);
    expect(answer.body.publications.map((publication: { protocol: string }) => publication.protocol)).toEqual(['atproto']);
    const { refs: answerRefs } = await published(answer.body.id);

    const view = await seenByAlice(answerRefs[0].uri);
    expect((view.record as ThreadView['post']['record']).reply).toEqual({ root: refs.root, parent: refs.parent });
    const aliceThread = await thread(refs.parent.uri);
    expect(aliceThread.replies?.map((child) => [child.post.author.did, child.post.record.text])).toEqual([[did, 'Thank you, Alice!']]);
  });

  it('notices an unfollow on Bluesky, which sends no notification, by comparing follower lists', async () => {
    const ingest = hub.herald.app.get(NotificationIngest);
    const active = () =>
      rows(`SELECT 1 FROM follower WHERE profile_id = $1 AND remote_actor_id = $2 AND until IS NULL`, [profileId, alice.did]);
    await alice.agent.deleteFollow(aliceFollow);
    await network.settle();
    await expect(ingest.reconcileFollowers(profileId)).resolves.toEqual({ ended: 1, added: 0 });
    expect(await active()).toEqual([]);
    expect((await fromAlice()).filter((row) => row.kind === 'unfollow')).toHaveLength(1);

    aliceFollow = (await alice.agent.follow(did)).uri;
    await network.settle();
    await eventually(async () => ((await active()).length === 1 ? true : null), 60_000);
    await expect(ingest.reconcileFollowers(profileId)).resolves.toEqual({ ended: 0, added: 0 });
  });

  it('publishes a long post as a thread whose parts chain to its first', async () => {
    const sentences = Array.from(
      { length: 14 },
      (_, index) => `Sentence ${index + 1} of a long announcement that needs more room than one post.`,
    );
    const { refs } = await publish(sentences.join(' '));
    expect(refs.length).toBeGreaterThan(2);
    await seenByAlice(refs.at(-1)!.uri);

    const last = await thread(refs.at(-1)!.uri, refs.length);
    const chain: ThreadView[] = [];
    for (let node: ThreadView | undefined = last; node; node = node.parent) chain.unshift(node);
    expect(chain.map((node) => node.post.uri)).toEqual(refs.map((ref) => ref.uri));
    for (const node of chain.slice(1)) expect(node.post.record.reply?.root.uri).toBe(refs[0].uri);
    const text = chain.map((node) => node.post.record.text).join(' ');
    for (const sentence of sentences) expect(text).toContain(sentence);
  });

  it('publishes an article as one post with a link card to its page', async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({
        kind: 'article',
        title: 'Our new format',
        summary: 'Why we changed it.',
        text: 'The long version, with every detail. '.repeat(40),
        status: 'published',
      })
      .expect(201);
    const { refs } = await published(post.body.id);
    expect(refs).toHaveLength(1);
    const view = await seenByAlice(refs[0].uri);
    expect(view.embed).toMatchObject({
      $type: 'app.bsky.embed.external#view',
      external: { uri: `${hub.url}/@newsroom/posts/${String(post.body.id)}`, title: 'Our new format' },
    });
    expect((view.record as { text: string }).text).toBe('Our new format\n\nWhy we changed it.');
  });

  it('a publish retried after a crash rewrites the same record instead of adding one', async () => {
    const first = await publish('Only once, however often it is retried.');
    // The worker wrote the record, then died before recording it: the publication is pending again.
    await rows(
      `UPDATE publication SET state = 'pending', remote_id = NULL, remote_cid = NULL, published_at = NULL, due_at = now() WHERE id = $1`,
      [first.publicationId],
    );
    await hub.herald.app.get(PublicationRunner).run(first.publicationId, false);
    const again = await published(first.postId);
    expect(again.remoteId).toBe(first.remoteId);

    await seenByAlice(first.remoteId);
    const hubPds = new AtpAgent({ service: hub.url });
    const records = await hubPds.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 });
    expect(
      records.data.records.filter((record) => (record.value as { text: string }).text === 'Only once, however often it is retried.'),
    ).toHaveLength(1);
    const feed = await alice.agent.getAuthorFeed({ actor: did, limit: 100 });
    expect(
      feed.data.feed.filter((item) => (item.post.record as { text: string }).text === 'Only once, however often it is retried.'),
    ).toHaveLength(1);
  });

  it('carries an image with its alt text and a content warning as a self-label, and deletes the records with the post', async () => {
    const image = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const upload = await hub.http
      .post(`/api/profiles/${profileId}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .attach('file', image, { filename: 'chart.png', contentType: 'image/png' })
      .expect(201);
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({
        kind: 'note',
        text: 'This week in one chart',
        contentWarning: 'Flashing colours',
        attachments: [{ mediaId: upload.body.id, altText: 'A blue rectangle' }],
        status: 'published',
      })
      .expect(201);
    const { refs } = await published(post.body.id);
    const view = await seenByAlice(refs[0].uri);
    expect(view.embed).toMatchObject({
      $type: 'app.bsky.embed.images#view',
      images: [{ alt: 'A blue rectangle', aspectRatio: { width: 64, height: 32 } }],
    });
    expect(view.labels?.map((label) => label.val)).toContain('graphic-media');

    await hub.http
      .delete(`/api/posts/${String(post.body.id)}`)
      .set('Authorization', `Bearer ${editor}`)
      .expect((response) => expect(response.status).toBeLessThan(300));
    await eventually(async () => {
      await network.settle();
      const found = await alice.agent.app.bsky.feed.getPosts({ uris: [refs[0].uri] });
      return found.data.posts.length === 0;
    }, 60_000);
  });

  it('takes in a reply whose createdAt is older than a notification it already took in', async () => {
    const { postId, refs } = await publish('Replies written offline still count.');
    const subject = { uri: refs[0].uri, cid: refs[0].cid };
    await seenByAlice(subject.uri);
    const stored = (remoteId: string) =>
      rows(`SELECT kind, target_post_id, content_text FROM interaction WHERE protocol = 'atproto' AND remote_id = $1`, [remoteId]);

    const likedAt = new Date();
    const like = await alice.agent.com.atproto.repo.createRecord({
      repo: alice.did,
      collection: 'app.bsky.feed.like',
      record: { $type: 'app.bsky.feed.like', subject, createdAt: likedAt.toISOString() },
    });
    await network.settle();
    // The hub's polling job takes the like in, which moves its cursor to the like's time.
    await eventually(async () => ((await stored(like.data.uri)).length === 1 ? true : null), 60_000);

    // A client that wrote the reply a second before the like and sent it after: the AppView sorts it behind the cursor.
    const reply = await alice.agent.com.atproto.repo.createRecord({
      repo: alice.did,
      collection: 'app.bsky.feed.post',
      record: {
        $type: 'app.bsky.feed.post',
        text: 'Written on the train',
        reply: { root: subject, parent: subject },
        createdAt: new Date(likedAt.getTime() - 1000).toISOString(),
      },
    });
    await network.settle();
    const ingest = hub.herald.app.get(NotificationIngest);
    await ingest.poll(profileId);
    await ingest.poll(profileId);
    expect(await stored(reply.data.uri)).toEqual([{ kind: 'reply', target_post_id: postId, content_text: 'Written on the train' }]);
  });

  it('blocks a Bluesky account with a block record and takes nothing more from it', async () => {
    const { refs } = await publish('Posted before the block.');
    await seenByAlice(refs[0].uri);
    await hub.http
      .post(`/api/profiles/${profileId}/blocks`)
      .set('Authorization', `Bearer ${moderator}`)
      .send({ kind: 'account', protocol: 'atproto', actorId: alice.did })
      .expect(201);

    const hubPds = new AtpAgent({ service: hub.url });
    const blocks = await eventually(async () => {
      const listed = await hubPds.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.graph.block' });
      return listed.data.records.length ? listed.data.records : null;
    }, 60_000);
    expect(blocks.map((record) => (record.value as { subject: string }).subject)).toEqual([alice.did]);
    const seen = await eventually(async () => {
      await network.settle();
      const profile = await alice.agent.getProfile({ actor: did });
      return profile.data.viewer?.blockedBy ? profile.data : null;
    }, 60_000);
    expect(seen.viewer?.blockedBy).toBe(true);

    const before = (await fromAlice()).length;
    await alice.agent.like(refs[0].uri, refs[0].cid).catch(() => undefined);
    await network.settle();
    await hub.herald.app.get(NotificationIngest).poll(profileId);
    expect(await fromAlice()).toHaveLength(before);
    const [follower] = await rows(`SELECT until FROM follower WHERE profile_id = $1 AND remote_actor_id = $2`, [profileId, alice.did]);
    expect(follower.until).not.toBeNull();
  });
});
