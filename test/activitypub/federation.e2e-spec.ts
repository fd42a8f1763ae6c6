import { createPublicKey } from 'node:crypto';
import { generateCryptoKeyPair, signRequest } from '@fedify/fedify';
import { jest } from '@jest/globals';
import { Announce, Block, Delete, Flag, Follow, Like, Move, Note, Undo, Update } from '@fedify/vocab';
import { DataSource } from 'typeorm';
import { startFediversePeer, type FediversePeer, type Received } from '../support/fediverse-peer.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';

jest.setTimeout(120_000);

const AP = 'application/activity+json';

interface Published {
  postId: string;
  /** The post's ActivityPub object id. */
  objectId: string;
}

const nonEmpty = <T>(rows: T[]) => (rows.length > 0 ? rows : null);

describe('ActivityPub federation over loopback', () => {
  let hub: TestHerald;
  let peer: FediversePeer;
  let admin: string;
  let editor: string;
  let profileId: string;
  let actorId: string;
  let moderator: string;
  const db = () => hub.herald.app.get(DataSource);
  const interactions = (kind: string) =>
    db().query(`SELECT * FROM interaction WHERE kind = $1 ORDER BY received_at`, [kind]) as Promise<Array<Record<string, unknown>>>;
  /** The inbox row for a remote activity or object, once it is stored. */
  const interaction = async (remoteId: string): Promise<Record<string, unknown> | undefined> =>
    (await db().query(`SELECT * FROM interaction WHERE remote_id = $1`, [remoteId]))[0];
  const activeFollowers = () =>
    db().query(`SELECT * FROM follower WHERE until IS NULL ORDER BY since`) as Promise<Array<Record<string, unknown>>>;
  /** Publishes a post now through the admin API; the id it has on the fediverse. */
  const publish = async (body: Record<string, string>): Promise<Published> => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ ...body, status: 'published' })
      .expect(201);
    return { postId: post.body.id, objectId: `${actorId}/posts/${post.body.id}` };
  };

  beforeAll(async () => {
    [hub, peer] = await Promise.all([startFederatedTestHerald('ap-hub', '127.0.0.2'), startFediversePeer('127.0.0.3')]);
    admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    moderator = await hub.login(['moderator']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        handle: 'eu',
        domain: 'social.example.eu',
        displayName: 'European Commission',
        bio: 'News from the Commission',
        protocols: ['activitypub'],
      })
      .expect(201);
    profileId = profile.body.id;
    actorId = `${hub.url}/@eu`;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await peer?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('answers WebFinger for acct:handle@host and NodeInfo', async () => {
    const host = new URL(hub.url).host;
    const finger = await hub.http.get(`/.well-known/webfinger?resource=acct:eu@${host}`).expect(200);
    expect(finger.body.subject).toBe(`acct:eu@${host}`);
    expect(finger.body.links).toEqual(expect.arrayContaining([expect.objectContaining({ rel: 'self', href: actorId, type: AP })]));
    const links = await hub.http.get('/.well-known/nodeinfo').expect(200);
    const nodeinfo = await hub.http.get(new URL(links.body.links[0].href).pathname).expect(200);
    expect(nodeinfo.body).toMatchObject({ software: { name: 'herald' }, protocols: ['activitypub'], openRegistrations: false });
    await hub.http.get(`/.well-known/webfinger?resource=acct:nobody@${host}`).expect(404);
  });

  it('serves the actor as AS2 to servers and leaves HTML requests to the web pages', async () => {
    const actor = await hub.http.get('/@eu').set('Accept', AP).expect(200);
    expect(actor.body).toMatchObject({
      id: actorId,
      type: 'Organization',
      preferredUsername: 'eu',
      name: 'European Commission',
      summary: '<p>News from the Commission</p>',
      inbox: `${actorId}/inbox`,
      outbox: `${actorId}/outbox`,
      followers: `${actorId}/followers`,
      following: `${actorId}/following`,
      featured: `${actorId}/featured`,
      endpoints: { sharedInbox: `${hub.url}/inbox` },
      manuallyApprovesFollowers: false,
      publicKey: { owner: actorId, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
    });
    expect(actor.body.assertionMethod).toHaveLength(2);
    const html = await hub.http.get('/@eu').set('Accept', 'text/html');
    expect(html.headers['content-type'] ?? '').not.toMatch(/activity\+json|ld\+json/);
    const again = await hub.http.get('/@eu').set('Accept', AP).expect(200);
    expect(again.body.publicKey.publicKeyPem).toBe(actor.body.publicKey.publicKeyPem);
  });

  it('signs with an RSA-2048 key, as FEDERATION.md says', async () => {
    const actor = await hub.http.get('/@eu').set('Accept', AP).expect(200);
    const key = createPublicKey(actor.body.publicKey.publicKeyPem);
    expect([key.asymmetricKeyType, key.asymmetricKeyDetails?.modulusLength]).toEqual(['rsa', 2048]);
  });

  it('refuses unsigned and wrongly signed activities and stores nothing', async () => {
    const before = (await interactions('like')).length;
    await hub.http
      .post('/@eu/inbox')
      .set('Content-Type', AP)
      .send(
        JSON.stringify({
          '@context': 'https://www.w3.org/ns/activitystreams',
          id: `${peer.url}/forged`,
          type: 'Like',
          actor: peer.actorId,
          object: actorId,
        }),
      )
      .expect(401);
    // Signed, but with a key that is not the one alice publishes under her key id.
    const { privateKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const forged = new Request(`${hub.url}/@eu/inbox`, {
      method: 'POST',
      headers: { 'content-type': AP },
      body: JSON.stringify({
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${peer.url}/forged-2`,
        type: 'Like',
        actor: peer.actorId,
        object: actorId,
      }),
    });
    const response = await fetch(await signRequest(forged, privateKey, new URL(`${peer.actorId}#main-key`)));
    expect(response.status).toBe(401);
    expect((await interactions('like')).length).toBe(before);
  });

  describe('with two followers on one fediverse server', () => {
    let note: Published;
    let create: Received;
    /** POSTs the peer had received before the note went out. */
    let postsBefore: number;

    beforeAll(async () => {
      for (const account of ['alice', 'bob'] as const) {
        const followId = await peer.follow(actorId, account);
        await peer.waitFor((activity) => activity.type === 'Accept' && activity.objectId === followId);
      }
      await eventually(async () => (await activeFollowers()).length === 2);
      // The Accepts and anything else for the peer have gone out: the count below is the note's alone.
      await queuesIdle(hub, FEDERATION_QUEUES);
      postsBefore = peer.posts.length;
      note = await publish({ kind: 'note', text: 'Say yes to #health', language: 'en' });
      create = await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === note.objectId);
      await queuesIdle(hub, FEDERATION_QUEUES);
    }, START_TIMEOUT_MS);

    it('accepts a follow and records the follower, with its shared inbox, and the follow in the inbox', async () => {
      expect(peer.received.find((activity) => activity.type === 'Accept')?.actorId).toBe(actorId);
      expect(await activeFollowers()).toContainEqual(
        expect.objectContaining({ remote_actor_id: peer.actorId, shared_inbox_url: `${peer.url}/inbox`, domain: '127.0.0.3' }),
      );
      expect((await interactions('follow')).map((row) => row.author_id)).toEqual([peer.actorId, peer.actorId.replace(/alice$/, 'bob')]);
    });

    it('delivers a post to a server once, at its shared inbox, though two of its accounts follow', () => {
      expect(peer.posts.slice(postsBefore)).toEqual(['/inbox']);
    });

    it('sends a post as a Note from the actor, with its language and linked hashtags', () => {
      expect(create.actorId).toBe(actorId);
      expect(create.json.object).toMatchObject({
        type: 'Note',
        attributedTo: actorId,
        contentMap: { en: expect.stringContaining('#<span>health</span>') },
      });
    });

    it("leads the note's hashtag link to a page of the profile's posts with that tag", async () => {
      const [, href] = /href="([^"]+)" class="mention hashtag"/.exec((create.json.object as { contentMap: { en: string } }).contentMap.en)!;
      const redirect = await hub.http.get(new URL(href).pathname).expect(302);
      const target = new URL(redirect.headers.location, hub.url);
      const page = await hub.http.get(target.pathname + target.search).expect(200);
      expect(page.text).toContain(`/@eu/posts/${note.postId}`);
    });

    it('serves the note and the outbox as AS2 to servers, and the note as HTML to browsers', async () => {
      const path = new URL(note.objectId).pathname;
      const served = await hub.http.get(path).set('Accept', AP).expect(200);
      expect(served.body).toMatchObject({ id: note.objectId, type: 'Note' });
      const outbox = await hub.http.get('/@eu/outbox').set('Accept', AP).expect(200);
      const first = new URL(outbox.body.first);
      const firstPage = await hub.http
        .get(first.pathname + first.search)
        .set('Accept', AP)
        .expect(200);
      const creates = (firstPage.body.orderedItems as Array<{ type: string; object: { id: string } }>).filter(
        (item) => item.object.id === note.objectId,
      );
      expect(creates).toEqual([expect.objectContaining({ type: 'Create' })]);
      const page = await hub.http.get(path).set('Accept', 'text/html');
      expect(page.headers['content-type'] ?? '').not.toMatch(/activity\+json|ld\+json/);
    });

    it('sends an article as an Article with its title and URL, its teaser leading the content', async () => {
      const article = await publish({ kind: 'article', title: 'Black Sea strategy', summary: 'What we propose', text: 'Long text' });
      const created = await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === article.objectId);
      expect(created.json.object).toMatchObject({
        type: 'Article',
        name: 'Black Sea strategy',
        content: '<p><strong>What we propose</strong></p><p>Long text</p>',
        url: article.objectId,
      });
      expect(created.json.object).not.toHaveProperty('summary');
    });

    it('stores a reply in the inbox, sanitised, with what an answer needs', async () => {
      const replyId = await peer.reply(note.objectId, actorId, '<p>Yes! <script>alert(1)</script></p>');
      const reply = await eventually(() => interaction(replyId));
      expect(reply).toMatchObject({ author_id: peer.actorId, target_post_id: note.postId, parent_remote_id: note.objectId });
      expect(reply.content_html).not.toContain('script');
      expect(reply.reply_refs).toMatchObject({ objectId: replyId, authorId: peer.actorId, authorInbox: `${peer.actorId}/inbox` });
    });

    it('stores a redelivered Like once', async () => {
      const likeId = await peer.like(note.objectId, actorId);
      await peer.like(note.objectId, actorId, likeId);
      await queuesIdle(hub, FEDERATION_QUEUES);
      const likes = (await interactions('like')).filter((row) => row.target_post_id === note.postId);
      expect(likes.map((row) => row.remote_id)).toEqual([likeId]);
    });

    it("sends a moderator's answer to a reply as a Note in reply to it, mentioning its author", async () => {
      const replyId = await peer.reply(note.objectId, actorId, '<p>When does it start?</p>');
      const reply = await eventually(() => interaction(replyId));
      const answer = await hub.http
        .post(`/api/inbox/${reply.id}/answer`)
        .set('Authorization', `Bearer ${moderator}`)
        .send({ text: 'Thank you!' })
        .expect(201);
      const answered = await peer.waitFor(
        (activity) => activity.type === 'Create' && activity.objectId === `${actorId}/posts/${answer.body.id}`,
      );
      expect(answered.json.object).toMatchObject({ inReplyTo: replyId, tag: { type: 'Mention', href: peer.actorId } });
    });

    it('withdraws a reply from the inbox when its author deletes it', async () => {
      const replyId = await peer.reply(note.objectId, actorId, '<p>Posted in haste</p>');
      await eventually(() => interaction(replyId));
      await peer.deleteNote(replyId, actorId);
      await eventually(async () => (await interaction(replyId))?.withdrawn_at);
    });

    it('keeps a reply that another account of the same server tries to delete', async () => {
      const replyId = await peer.reply(note.objectId, actorId, '<p>Mine to keep</p>');
      await eventually(() => interaction(replyId));
      await peer.deleteNote(replyId, actorId, 'bob');
      await queuesIdle(hub, FEDERATION_QUEUES);
      expect((await interaction(replyId))?.withdrawn_at).toBeNull();
    });

    it('sends a Delete with a Tombstone when a post is deleted', async () => {
      const post = await publish({ kind: 'note', text: 'Short-lived' });
      await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === post.objectId);
      await hub.http
        .delete(`/api/posts/${post.postId}`)
        .set('Authorization', `Bearer ${editor}`)
        .expect((response) => expect(response.status).toBeLessThan(300));
      const deletion = await peer.waitFor((activity) => activity.type === 'Delete' && activity.objectId === post.objectId);
      expect(deletion.json.object).toMatchObject({ type: 'Tombstone', id: post.objectId });
    });

    it('sends an Update of the actor when the profile changes', async () => {
      await hub.http
        .patch(`/api/profiles/${profileId}`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ bio: 'Now with updates' })
        .expect(200);
      const profileUpdate = await peer.waitFor((activity) => activity.type === 'Update' && activity.objectId === actorId);
      expect(profileUpdate.json.object).toMatchObject({ type: 'Organization', summary: '<p>Now with updates</p>' });
    });
  });

  it('refuses activities from a blocked domain and stops delivering to it', async () => {
    const other = await startFediversePeer('127.0.0.4');
    try {
      for (const follower of [peer, other]) {
        const followId = await follower.follow(actorId);
        await follower.waitFor((activity) => activity.type === 'Accept' && activity.objectId === followId);
      }
      // Only the block, without ending the follow: delivery itself must skip the domain.
      await db().query(`INSERT INTO block (kind, protocol, value) VALUES ('domain', NULL, '127.0.0.3')`);
      const post = await publish({ kind: 'note', text: 'After the block' });
      await other.waitFor((activity) => activity.type === 'Create' && activity.objectId === post.objectId);
      const blockedLike = await peer.like(post.objectId, actorId);
      const allowedLike = await other.like(post.objectId, actorId);
      await eventually(() => interaction(allowedLike));
      await queuesIdle(hub, FEDERATION_QUEUES);
      expect(await interaction(blockedLike)).toBeUndefined();
      expect(peer.received.some((activity) => activity.objectId === post.objectId)).toBe(false);
    } finally {
      await db().query(`DELETE FROM block WHERE value = '127.0.0.3'`);
      await other.close();
    }
  });

  describe('from a follower on another server', () => {
    let other: FediversePeer;
    let me: URL;
    let post: Published;
    const byOther = async (kind: string) => (await interactions(kind)).filter((row) => row.author_id === other.actorId);
    const following = (remoteActorId: string) =>
      db().query(`SELECT 1 FROM follower WHERE remote_actor_id = $1 AND until IS NULL`, [remoteActorId]) as Promise<unknown[]>;
    /** The other server's alice follows, and the hub has her as a follower. */
    const followed = async () => {
      const followId = await other.follow(actorId);
      await eventually(async () => (await following(other.actorId)).length === 1);
      return followId;
    };

    beforeAll(async () => {
      other = await startFediversePeer('127.0.0.9');
      me = new URL(other.actorId);
      await followed();
      post = await publish({ kind: 'note', text: 'Boost me' });
      await other.waitFor((activity) => activity.type === 'Create' && activity.objectId === post.objectId);
    }, START_TIMEOUT_MS);

    afterAll(() => other?.close(), CLOSE_TIMEOUT_MS);

    it('stores an Announce of a post as a repost', async () => {
      await other.send(actorId, new Announce({ id: other.nextId('announces'), actor: me, object: new URL(post.objectId) }));
      const [repost] = await eventually(async () => nonEmpty(await byOther('repost')));
      expect(repost.target_post_id).toBe(post.postId);
    });

    it('applies an Update to a stored reply', async () => {
      const replyId = await other.reply(post.objectId, actorId, '<p>first</p>');
      await eventually(() => interaction(replyId));
      const edited = new Note({ id: new URL(replyId), attribution: me, content: '<p>edited</p>', replyTarget: new URL(post.objectId) });
      await other.send(actorId, new Update({ id: other.nextId('updates'), actor: me, object: edited }));
      await eventually(async () => (await interaction(replyId))?.content_text === 'edited');
    });

    it('applies each Update to the shared inbox that names an edited reply by URL, fetching the reply afresh', async () => {
      const replyId = await other.reply(post.objectId, actorId, '<p>first</p>');
      await eventually(() => interaction(replyId));
      await other.editNote(replyId, actorId, '<p>second</p>');
      await eventually(async () => (await interaction(replyId))?.content_text === 'second');
      // Within the document cache's lifetime: a cached copy would still say "second".
      await other.editNote(replyId, actorId, '<p>third</p>');
      await eventually(async () => (await interaction(replyId))?.content_text === 'third');
    });

    it('stores a Flag as a report on the post', async () => {
      await other.send(
        actorId,
        new Flag({ id: other.nextId('flags'), actor: me, objects: [new URL(post.objectId), new URL(actorId)], content: 'spam?' }),
      );
      const [report] = await eventually(async () => nonEmpty(await byOther('report')));
      expect(report).toMatchObject({ target_post_id: post.postId, content_text: 'spam?' });
    });

    it('withdraws a Like that its author undoes', async () => {
      const like = new Like({ id: other.nextId('likes'), actor: me, object: new URL(post.objectId) });
      await other.send(actorId, like);
      await eventually(() => interaction(like.id!.href));
      await other.send(actorId, new Undo({ id: other.nextId('undos'), actor: me, object: like }));
      await eventually(async () => (await interaction(like.id!.href))?.withdrawn_at);
    });

    it('withdraws a Like whose Undo embeds it without its actor', async () => {
      const likeId = await other.like(post.objectId, actorId);
      await eventually(() => interaction(likeId));
      await other.send(actorId, new Undo({ id: other.nextId('undos'), actor: me, object: new Like({ id: new URL(likeId) }) }));
      await eventually(async () => (await interaction(likeId))?.withdrawn_at);
    });

    it('withdraws a Like whose Undo names it by URL', async () => {
      const likeId = await other.like(post.objectId, actorId);
      await eventually(() => interaction(likeId));
      await other.send(actorId, new Undo({ id: other.nextId('undos'), actor: me, object: new URL(likeId) }));
      await eventually(async () => (await interaction(likeId))?.withdrawn_at);
    });

    it("refuses another server's Undo of this follower's Like, embedded or by URL", async () => {
      const likeId = await other.like(post.objectId, actorId);
      await eventually(() => interaction(likeId));
      const intruder = new URL(peer.actorId);
      await peer.send(actorId, new Undo({ id: peer.nextId('undos'), actor: intruder, object: new Like({ id: new URL(likeId) }) }));
      await peer.send(actorId, new Undo({ id: peer.nextId('undos'), actor: intruder, object: new URL(likeId) }));
      await queuesIdle(hub, FEDERATION_QUEUES);
      expect((await interaction(likeId))?.withdrawn_at).toBeNull();
    });

    it('ends a follower whose Undo embeds the Follow without its actor', async () => {
      const followId = await followed();
      await other.send(actorId, new Undo({ id: other.nextId('undos'), actor: me, object: new Follow({ id: new URL(followId) }) }));
      await eventually(async () => (await following(other.actorId)).length === 0);
    });

    it("refuses another server's Undo of this follower's Follow", async () => {
      const followId = await followed();
      await peer.send(
        actorId,
        new Undo({ id: peer.nextId('undos'), actor: new URL(peer.actorId), object: new Follow({ id: new URL(followId) }) }),
      );
      await queuesIdle(hub, FEDERATION_QUEUES);
      expect(await following(other.actorId)).toHaveLength(1);
    });

    it('ends a follower that undoes its Follow, and records the unfollow in the inbox', async () => {
      const followId = await followed();
      const unfollows = (await byOther('unfollow')).length;
      await other.send(
        actorId,
        new Undo({
          id: other.nextId('undos'),
          actor: me,
          object: new Follow({ id: new URL(followId), actor: me, object: new URL(actorId) }),
        }),
      );
      await eventually(async () => (await byOther('unfollow')).length === unfollows + 1);
      expect(await following(other.actorId)).toEqual([]);
    });

    it('moves a follower to the account its Move names', async () => {
      await followed();
      const bob = other.actorId.replace(/alice$/, 'bob');
      await other.send(actorId, new Move({ id: other.nextId('moves'), actor: me, object: me, target: new URL(bob) }));
      await eventually(async () => (await following(bob)).length === 1);
      expect(await following(other.actorId)).toEqual([]);
    });

    it('ends a follower that blocks the profile, and stores nothing in the inbox', async () => {
      await followed();
      await queuesIdle(hub, FEDERATION_QUEUES);
      const count = async () => (await db().query(`SELECT count(*)::int AS n FROM interaction`))[0].n as number;
      const before = await count();
      await other.send(actorId, new Block({ id: other.nextId('blocks'), actor: me, object: new URL(actorId) }));
      await eventually(async () => (await following(other.actorId)).length === 0);
      await queuesIdle(hub, FEDERATION_QUEUES);
      expect(await count()).toBe(before);
    });

    it('ends a follower whose account is deleted', async () => {
      await followed();
      await other.send(actorId, new Delete({ id: other.nextId('deletes'), actor: me, object: me }));
      await eventually(async () => (await following(other.actorId)).length === 0);
    });
  });
});

describe('ActivityPub private addresses', () => {
  it('are refused unless ALLOW_PRIVATE_ADDRESS is set: a loopback follower is not accepted', async () => {
    const [strict, peer] = await Promise.all([
      startFederatedTestHerald('ap-strict', '127.0.0.5', { ALLOW_PRIVATE_ADDRESS: 'false' }),
      startFediversePeer('127.0.0.6'),
    ]);
    try {
      const admin = await strict.login(['admin']);
      await strict.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'eu', domain: 'strict.example', displayName: 'Strict', protocols: ['activitypub'] })
        .expect(201);
      await expect(peer.follow(`${strict.url}/@eu`)).rejects.toThrow(/401/);
      expect(await strict.herald.app.get(DataSource).query(`SELECT * FROM follower`)).toEqual([]);
    } finally {
      await peer.close();
      await strict.close();
    }
  });
});
