import { generateCryptoKeyPair, signRequest } from '@fedify/fedify';
import { jest } from '@jest/globals';
import { Announce, Block, Delete, Flag, Follow, Like, Move, Note, Undo, Update } from '@fedify/vocab';
import { DataSource } from 'typeorm';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

jest.setTimeout(120_000);

const AP = 'application/activity+json';

describe('ActivityPub federation over loopback', () => {
  let hub: TestHerald;
  let peer: FediversePeer;
  let admin: string;
  let editor: string;
  let profileId: string;
  let actorId: string;
  const interactions = (kind: string) =>
    hub.herald.app.get(DataSource).query(`SELECT * FROM interaction WHERE kind = $1 ORDER BY received_at`, [kind]) as Promise<
      Array<Record<string, unknown>>
    >;

  beforeAll(async () => {
    [hub, peer] = await Promise.all([startFederatedTestHerald('ap-hub', '127.0.0.2'), startFediversePeer('127.0.0.3')]);
    admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
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

  it('lets a fediverse server follow, receive a post, reply and like; interactions land in the inbox; delete propagates', async () => {
    await peer.follow(actorId);
    const accept = await peer.waitFor((activity) => activity.type === 'Accept');
    expect(accept.actorId).toBe(actorId);
    const followers: Array<Record<string, unknown>> = await eventually(async () => {
      const rows = await hub.herald.app.get(DataSource).query(`SELECT * FROM follower WHERE until IS NULL`);
      return rows.length > 0 ? rows : null;
    });
    expect(followers[0]).toMatchObject({ remote_actor_id: peer.actorId, shared_inbox_url: `${peer.url}/inbox`, domain: '127.0.0.3' });
    expect((await interactions('follow')).map((row) => row.author_id)).toEqual([peer.actorId]);

    // A second account on the same server: the post must still reach that server once, at its shared inbox.
    await peer.follow(actorId, 'bob');
    await eventually(async () => (await hub.herald.app.get(DataSource).query(`SELECT 1 FROM follower WHERE until IS NULL`)).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const postsBefore = peer.posts.length;
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Say yes to #health', language: 'en', status: 'published' })
      .expect(201);
    const noteId = `${actorId}/posts/${post.body.id}`;
    const create = await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === noteId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(peer.posts.slice(postsBefore)).toEqual(['/inbox']);
    expect(create.actorId).toBe(actorId);
    expect(create.json.object).toMatchObject({
      type: 'Note',
      attributedTo: actorId,
      contentMap: { en: expect.stringContaining('#<span>health</span>') },
    });

    const note = await hub.http.get(new URL(noteId).pathname).set('Accept', AP).expect(200);
    expect(note.body).toMatchObject({ id: noteId, type: 'Note' });
    const outbox = await hub.http.get('/@eu/outbox').set('Accept', AP).expect(200);
    const firstPage = await hub.http
      .get(new URL(outbox.body.first).pathname + new URL(outbox.body.first).search)
      .set('Accept', AP)
      .expect(200);
    expect(firstPage.body.orderedItems).toEqual([
      expect.objectContaining({ type: 'Create', object: expect.objectContaining({ id: noteId }) }),
    ]);

    const article = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'article', title: 'Black Sea strategy', summary: 'What we propose', text: 'Long text', status: 'published' })
      .expect(201);
    const articleId = `${actorId}/posts/${article.body.id}`;
    const createArticle = await peer.waitFor((activity) => activity.type === 'Create' && activity.objectId === articleId);
    expect(createArticle.json.object).toMatchObject({
      type: 'Article',
      name: 'Black Sea strategy',
      summary: 'What we propose',
      url: articleId,
    });

    const notePage = await hub.http.get(new URL(noteId).pathname).set('Accept', 'text/html');
    expect(notePage.headers['content-type'] ?? '').not.toMatch(/activity\+json|ld\+json/);

    const replyId = await peer.reply(noteId, actorId, '<p>Yes! <script>alert(1)</script></p>');
    const reply = await eventually(async () => (await interactions('reply'))[0]);
    expect(reply).toMatchObject({ remote_id: replyId, author_id: peer.actorId, target_post_id: post.body.id, parent_remote_id: noteId });
    expect(reply.content_html).not.toContain('script');
    expect(reply.reply_refs).toMatchObject({ objectId: replyId, authorId: peer.actorId, authorInbox: `${peer.actorId}/inbox` });

    const likeId = await peer.like(noteId, actorId);
    await peer.like(noteId, actorId, likeId);
    const likes = await eventually(async () => {
      const rows = await interactions('like');
      return rows.length > 0 ? rows : null;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await interactions('like')).map((row) => row.remote_id)).toEqual([likeId]);
    expect(likes[0].target_post_id).toBe(post.body.id);

    // Staff answer the reply: a Note inReplyTo the remote note, mentioning its author, sent to the author too.
    const answer = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Thank you!' })
      .expect(201);
    await hub.herald.app.get(DataSource).query(`UPDATE post SET reply_to_interaction_id = $1 WHERE id = $2`, [reply.id, answer.body.id]);
    await hub.http.post(`/api/posts/${answer.body.id}/publish`).set('Authorization', `Bearer ${editor}`).send({}).expect(200);
    const answered = await peer.waitFor(
      (activity) => activity.type === 'Create' && activity.objectId === `${actorId}/posts/${answer.body.id}`,
    );
    expect(answered.json.object).toMatchObject({ inReplyTo: replyId, tag: { type: 'Mention', href: peer.actorId } });

    await peer.deleteNote(replyId, actorId);
    await eventually(async () => (await interactions('reply'))[0].withdrawn_at);

    await hub.http
      .delete(`/api/posts/${post.body.id}`)
      .set('Authorization', `Bearer ${editor}`)
      .expect((response) => expect(response.status).toBeLessThan(300));
    const deletion = await peer.waitFor((activity) => activity.type === 'Delete' && activity.objectId === noteId);
    expect(deletion.json.object).toMatchObject({ type: 'Tombstone', id: noteId });

    await hub.http
      .patch(`/api/profiles/${profileId}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ bio: 'Now with updates' })
      .expect(200);
    const profileUpdate = await peer.waitFor((activity) => activity.type === 'Update' && activity.objectId === actorId);
    expect(profileUpdate.json.object).toMatchObject({ type: 'Organization', summary: '<p>Now with updates</p>' });
  });

  it('refuses activities from a blocked domain and stops delivering to it', async () => {
    const other = await startFediversePeer('127.0.0.4');
    try {
      await other.follow(actorId);
      await other.waitFor((activity) => activity.type === 'Accept');
      await hub.herald.app.get(DataSource).query(`INSERT INTO block (kind, protocol, value) VALUES ('domain', NULL, '127.0.0.3')`);
      const post = await hub.http
        .post(`/api/profiles/${profileId}/posts`)
        .set('Authorization', `Bearer ${editor}`)
        .send({ kind: 'note', text: 'After the block', status: 'published' })
        .expect(201);
      const noteId = `${actorId}/posts/${post.body.id}`;
      await other.waitFor((activity) => activity.type === 'Create' && activity.objectId === noteId);
      const blockedLike = await peer.like(noteId, actorId);
      const allowedLike = await other.like(noteId, actorId);
      await eventually(async () => (await interactions('like')).some((row) => row.remote_id === allowedLike));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await interactions('like')).map((row) => row.remote_id)).not.toContain(blockedLike);
      expect(peer.received.some((activity) => activity.objectId === noteId)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('handles Announce, Update, Flag, Undo(Like), Undo(Follow), Move, Block and an account Delete from a follower', async () => {
    const other = await startFediversePeer('127.0.0.9');
    try {
      const followId = await other.follow(actorId);
      await other.waitFor((activity) => activity.type === 'Accept');
      const post = await hub.http
        .post(`/api/profiles/${profileId}/posts`)
        .set('Authorization', `Bearer ${editor}`)
        .send({ kind: 'note', text: 'Boost me', status: 'published' })
        .expect(201);
      const noteId = `${actorId}/posts/${post.body.id}`;
      await other.waitFor((activity) => activity.type === 'Create' && activity.objectId === noteId);
      const me = new URL(other.actorId);
      const byOther = async (kind: string) => (await interactions(kind)).filter((row) => row.author_id === other.actorId);

      const announce = new Announce({ id: other.nextId('announces'), actor: me, object: new URL(noteId) });
      await other.send(actorId, announce);
      await eventually(async () => (await byOther('repost')).length === 1);

      const replyId = await other.reply(noteId, actorId, '<p>first</p>');
      await eventually(async () => (await byOther('reply')).length === 1);
      const edited = new Note({ id: new URL(replyId), attribution: me, content: '<p>edited</p>', replyTarget: new URL(noteId) });
      await other.send(actorId, new Update({ id: other.nextId('updates'), actor: me, object: edited }));
      await eventually(async () => (await byOther('reply'))[0].content_text === 'edited');

      await other.send(
        actorId,
        new Flag({ id: other.nextId('flags'), actor: me, objects: [new URL(noteId), new URL(actorId)], content: 'spam?' }),
      );
      const [report] = await eventually(async () => {
        const found = await byOther('report');
        return found.length > 0 ? found : null;
      });
      expect(report).toMatchObject({ target_post_id: post.body.id, content_text: 'spam?' });

      const like = new Like({ id: other.nextId('likes'), actor: me, object: new URL(noteId) });
      await other.send(actorId, like);
      await eventually(async () => (await byOther('like')).length === 1);
      await other.send(actorId, new Undo({ id: other.nextId('undos'), actor: me, object: like }));
      await eventually(async () => (await byOther('like'))[0].withdrawn_at);

      await other.send(
        actorId,
        new Undo({
          id: other.nextId('undos'),
          actor: me,
          object: new Follow({ id: new URL(followId), actor: me, object: new URL(actorId) }),
        }),
      );
      await eventually(async () => (await byOther('unfollow')).length === 1);
      const active = () =>
        hub.herald.app.get(DataSource).query(`SELECT 1 FROM follower WHERE remote_actor_id = $1 AND until IS NULL`, [other.actorId]);
      expect(await active()).toEqual([]);

      await other.follow(actorId);
      await eventually(async () => (await active()).length === 1);
      const bob = other.actorId.replace(/alice$/, 'bob');
      await other.send(actorId, new Move({ id: other.nextId('moves'), actor: me, object: me, target: new URL(bob) }));
      const movedTo = () =>
        hub.herald.app.get(DataSource).query(`SELECT 1 FROM follower WHERE remote_actor_id = $1 AND until IS NULL`, [bob]);
      await eventually(async () => (await movedTo()).length === 1);
      expect(await active()).toEqual([]);

      // The follower row comes before its inbox item: wait for both, so the count below starts settled.
      const follows = (await byOther('follow')).length;
      await other.follow(actorId);
      await eventually(async () => (await active()).length === 1 && (await byOther('follow')).length === follows + 1);
      const before = (await hub.herald.app.get(DataSource).query(`SELECT count(*)::int AS n FROM interaction`))[0].n;
      await other.send(actorId, new Block({ id: other.nextId('blocks'), actor: me, object: new URL(actorId) }));
      await eventually(async () => (await active()).length === 0);
      expect((await hub.herald.app.get(DataSource).query(`SELECT count(*)::int AS n FROM interaction`))[0].n).toBe(before);

      await other.follow(actorId);
      await eventually(async () => (await active()).length === 1);
      await other.send(actorId, new Delete({ id: other.nextId('deletes'), actor: me, object: me }));
      await eventually(async () => (await active()).length === 0);
    } finally {
      await other.close();
    }
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
