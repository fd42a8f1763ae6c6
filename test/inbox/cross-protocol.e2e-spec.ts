import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { NotificationIngest } from '../../src/protocols/atproto/notifications/notification-ingest.js';
import { BlueskyNetwork, type BlueskyUser } from '../support/bluesky-network.js';
import { eventually } from '../support/eventually.js';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { openEventStream } from '../support/sse-client.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';
import { looksLive, XSS_PAYLOADS } from '../support/xss-payloads.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';

jest.setTimeout(180_000);

const DOMAIN = 'cross.example.org';
const HOSTILE_HTML = `<p>From the fediverse</p>${XSS_PAYLOADS.join('')}`;
const HOSTILE_TEXT = `From Bluesky <script>alert(1)</script> <img src=x onerror="alert(1)"> javascript:alert(1)`;

interface Ref {
  uri: string;
  cid: string;
}

interface InboxItem {
  id: string;
  protocol: string;
  kind: string;
  author: { id: string; handle: string | null };
  contentHtml: string | null;
  contentText: string | null;
  url: string | null;
  replyRefs?: unknown;
}

/**
 * One inbox for both networks, through the real protocol paths: a separate
 * Fedify server (ActivityPub) and a person on @atproto/dev-env's network
 * (Bluesky) follow, reply and like; moderators answer each natively and
 * defederate both.
 */
describe('the unified inbox across the fediverse and Bluesky', () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let peer: FediversePeer;
  let carol: BlueskyUser;
  let profileId: string;
  let actorId: string;
  let did: string;
  let editor: string;
  let moderator: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const rows = (sql: string, params: unknown[] = []) =>
    hub.herald.app.get(DataSource).query(sql, params) as Promise<Array<Record<string, unknown>>>;
  const stored = (remoteId: string) =>
    rows(`SELECT id FROM interaction WHERE remote_id = $1`, [remoteId]).then((found) => found.length > 0);
  const pollBluesky = async () => {
    await network.settle();
    await hub.herald.app.get(NotificationIngest).poll(profileId);
  };

  async function publish(text: string): Promise<{ postId: string; noteId: string; record: Ref }> {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set(auth(editor))
      .send({ kind: 'note', text, status: 'published' })
      .expect(201);
    const [publication] = await eventually(async () => {
      const found = await rows(
        `SELECT state, remote_refs FROM publication WHERE post_id = $1 AND protocol = 'atproto' AND state = 'published'`,
        [post.body.id],
      );
      return found.length ? found : null;
    }, 60_000);
    return {
      postId: post.body.id,
      noteId: `${actorId}/posts/${post.body.id}`,
      record: (publication.remote_refs as { parts: Ref[] }).parts[0],
    };
  }

  async function inbox(query: string): Promise<InboxItem[]> {
    const response = await hub.http.get(`/api/profiles/${profileId}/inbox?${query}`).set(auth(moderator)).expect(200);
    return response.body.items;
  }

  beforeAll(async () => {
    network = await BlueskyNetwork.start('xproto');
    [hub, peer] = await Promise.all([
      startFederatedTestHerald('xproto', 'localhost', network.heraldEnv()),
      startFediversePeer('127.0.0.5'),
    ]);
    network.index({ url: hub.url, domains: [DOMAIN] });
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    moderator = await hub.login(['moderator']);
    const profile = await hub.http
      .post('/api/profiles')
      .set(auth(admin))
      .send({ handle: 'cross', domain: DOMAIN, displayName: 'Cross Newsroom', protocols: ['activitypub', 'atproto'] })
      .expect(201);
    profileId = profile.body.id;
    actorId = `${hub.url}/@cross`;
    carol = await network.createUser('carol');
    did = (
      await eventually(async () => {
        const found = await rows(`SELECT did FROM atproto_account WHERE profile_id = $1 AND handle = $2`, [profileId, DOMAIN]);
        return found.length ? found[0] : null;
      }, 60_000)
    ).did as string;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await network?.close();
    await peer?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('holds replies and likes from both networks in one inbox, newest first, with hostile markup inert, streamed live', async () => {
    const stream = await openEventStream(`${hub.url}/api/profiles/${profileId}/inbox/stream`, auth(moderator));
    try {
      await peer.follow(actorId);
      await peer.waitFor((activity) => activity.type === 'Accept');
      await carol.agent.follow(did);
      const { postId, noteId, record } = await publish('What should we cover next week?');
      await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === noteId);
      await eventually(async () => {
        await network.settle();
        return (await carol.agent.app.bsky.feed.getPosts({ uris: [record.uri] })).data.posts.length > 0;
      }, 60_000);

      // Alternate networks, each stored before the next is sent, so the order is known.
      const apReply = await peer.reply(noteId, actorId, HOSTILE_HTML);
      await eventually(() => stored(apReply));
      const atReply = await carol.agent.post({ text: HOSTILE_TEXT, reply: { root: record, parent: record } });
      await eventually(async () => (await pollBluesky(), stored(atReply.uri)), 60_000);
      const apLike = await peer.like(noteId, actorId);
      await eventually(() => stored(apLike));
      const atLike = await carol.agent.like(record.uri, record.cid);
      await eventually(async () => (await pollBluesky(), stored(atLike.uri)), 60_000);

      const items = await inbox(`postId=${postId}`);
      expect(items.map((item) => [item.protocol, item.kind])).toEqual([
        ['atproto', 'like'],
        ['activitypub', 'like'],
        ['atproto', 'reply'],
        ['activitypub', 'reply'],
      ]);
      const [, , bluesky, fediverse] = items;
      expect(fediverse.author).toMatchObject({ id: peer.actorId });
      expect(bluesky.author).toMatchObject({ id: carol.did, handle: 'carol.test' });
      for (const item of [fediverse, bluesky]) {
        expect(looksLive(item.contentHtml ?? '')).toBe(false);
        expect(item.contentText).toContain('From');
        expect(item.contentHtml).not.toContain('<script');
      }
      expect(bluesky.url).toMatch(/^https:\/\/bsky\.app\/profile\/did:plc:/);

      // The follows came in too, one per network.
      const follows = await inbox('kind=follow');
      expect(follows.map((item) => item.protocol).sort()).toEqual(['activitypub', 'atproto']);
      const followers = await rows(`SELECT protocol FROM follower WHERE profile_id = $1 AND until IS NULL ORDER BY protocol`, [profileId]);
      expect(followers.map((row) => row.protocol)).toEqual(['activitypub', 'atproto']);

      // The console heard each one as it arrived.
      const ids = new Set([...items, ...follows].map((item) => item.id));
      const streamed = () =>
        new Set(
          stream.events.filter((event) => event.event === 'interaction.received').map((event) => JSON.parse(event.data).id as string),
        );
      await eventually(() => [...ids].every((id) => streamed().has(id)), 20_000);
    } finally {
      stream.close();
    }
  });

  it('answers each reply natively on the network it came from', async () => {
    const [bluesky, fediverse] = await inbox('kind=reply');
    const toFediverse = await hub.http
      .post(`/api/inbox/${fediverse.id}/answer`)
      .set(auth(moderator))
      .send({ text: 'Thanks, noted for the fediverse.' })
      .expect(201);
    const toBluesky = await hub.http
      .post(`/api/inbox/${bluesky.id}/answer`)
      .set(auth(moderator))
      .send({ text: 'Thanks, noted for Bluesky.' })
      .expect(201);
    expect(toFediverse.body.publications.map((publication: { protocol: string }) => publication.protocol)).toEqual(['activitypub']);
    expect(toBluesky.body.publications.map((publication: { protocol: string }) => publication.protocol)).toEqual(['atproto']);

    const created = await peer.waitFor(
      (activity) => activity.type === 'Create' && activity.objectId === `${actorId}/posts/${toFediverse.body.id}`,
    );
    const [fediverseRow] = await rows(`SELECT remote_id FROM interaction WHERE id = $1`, [fediverse.id]);
    expect(created.json.object).toMatchObject({ inReplyTo: fediverseRow.remote_id });

    const [blueskyRow] = await rows(`SELECT reply_refs FROM interaction WHERE id = $1`, [bluesky.id]);
    const refs = blueskyRow.reply_refs as { root: Ref; parent: Ref };
    const answer = await eventually(async () => {
      await network.settle();
      const thread = await carol.agent.app.bsky.feed.getPostThread({ uri: refs.parent.uri, depth: 1 });
      const replies =
        (
          thread.data.thread as {
            replies?: Array<{ post: { author: { did: string }; record: { text: string; reply: { root: Ref; parent: Ref } } } }>;
          }
        ).replies ?? [];
      return replies.find((reply) => reply.post.author.did === did) ?? null;
    }, 60_000);
    expect(answer.post.record).toMatchObject({ text: 'Thanks, noted for Bluesky.', reply: { root: refs.root, parent: refs.parent } });
    // Neither answer leaked onto the other network.
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(peer.received.some((activity) => activity.objectId === `${actorId}/posts/${toBluesky.body.id}`)).toBe(false);

    const states = await inbox('kind=reply&state=answered');
    expect(states.map((item) => item.id).sort()).toEqual([bluesky.id, fediverse.id].sort());
  });

  it('defederates a fediverse server and a Bluesky handle domain: followers end, nothing comes in, nothing goes out', async () => {
    const peerHost = new URL(peer.url).hostname;
    for (const domain of [peerHost, 'carol.test']) {
      await hub.http.post(`/api/profiles/${profileId}/blocks`).set(auth(moderator)).send({ kind: 'domain', domain }).expect(201);
    }
    expect(await rows(`SELECT protocol FROM follower WHERE profile_id = $1 AND until IS NULL`, [profileId])).toEqual([]);
    const before = (await rows(`SELECT count(*)::int AS n FROM interaction WHERE profile_id = $1 AND state <> 'hidden'`, [profileId]))[0].n;
    expect(before).toBe(0);

    const { noteId, record } = await publish('After the blocks.');
    const apLike = await peer.like(noteId, actorId);
    const atLike = await carol.agent.like(record.uri, record.cid);
    await pollBluesky();
    await queuesIdle(hub, FEDERATION_QUEUES);
    expect(await stored(apLike)).toBe(false);
    expect(await stored(atLike.uri)).toBe(false);
    expect(peer.received.some((activity) => activity.objectId === noteId)).toBe(false);
  });
});
