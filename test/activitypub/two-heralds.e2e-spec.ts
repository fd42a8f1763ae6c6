import { jest } from '@jest/globals';
import { Create, Follow, isActor, Like, Mention, Note, PUBLIC_COLLECTION } from '@fedify/vocab';
import { DataSource } from 'typeorm';
import { FedifyKvRepository } from '../../src/protocols/activitypub/fedify-kv.repository.js';
import type { Activity, Actor } from '@fedify/vocab';
import { ProfilesRepository } from '../../src/profiles/profiles.repository.js';
import { Delivery } from '../../src/protocols/activitypub/delivery/delivery.js';
import { FederationHost } from '../../src/protocols/activitypub/federation-host.js';
import { startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

jest.setTimeout(120_000);

async function createProfile(hub: TestHerald, handle: string): Promise<string> {
  const admin = await hub.login(['admin']);
  const response = await hub.http
    .post('/api/profiles')
    .set('Authorization', `Bearer ${admin}`)
    .send({ handle, domain: `${handle}.example`, displayName: handle.toUpperCase(), protocols: ['activitypub'] })
    .expect(201);
  return response.body.id;
}

/**
 * Two real Heralds on different loopback hosts. Herald has no "follow" button, so B's actor
 * speaks through B's own Fedify federation (its keys from B's database); A must verify them.
 */
describe('two Heralds over loopback', () => {
  let a: TestHerald;
  let b: TestHerald;
  let aProfile: string;
  let bProfile: string;
  const rows = (hub: TestHerald, sql: string, params: unknown[] = []) =>
    hub.herald.app.get(DataSource).query(sql, params) as Promise<Array<Record<string, unknown>>>;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFederatedTestHerald('ap-a', '127.0.0.7'), startFederatedTestHerald('ap-b', '127.0.0.8')]);
    aProfile = await createProfile(a, 'eu');
    bProfile = await createProfile(b, 'ngo');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await a?.close();
    await b?.close();
  }, CLOSE_TIMEOUT_MS);

  it('B follows A, A publishes, B replies and likes with signed activities, A answers and B gets the mention', async () => {
    const bCtx = b.herald.app.get(FederationHost).context();
    const aActorId = `${a.url}/@eu`;
    const bActorId = `${b.url}/@ngo`;
    const aActor = await bCtx.lookupObject(aActorId);
    if (!aActor || !isActor(aActor)) throw new Error('B could not look up A');
    expect(aActor.preferredUsername).toBe('eu');
    // B sends as Herald sends everything: a durable fan-out that its delivery worker signs and POSTs.
    const ngo = (await b.herald.app.get(ProfilesRepository).findById(bProfile))!;
    const sendFromB = (activity: Activity, to: Actor) => b.herald.app.get(Delivery, { strict: false }).to(ngo, activity, [to]);

    await sendFromB(new Follow({ id: new URL(`${bActorId}#follows/1`), actor: new URL(bActorId), object: new URL(aActorId) }), aActor);
    const [follower] = await eventually(async () => {
      const found = await rows(a, `SELECT * FROM follower WHERE until IS NULL`);
      return found.length > 0 ? found : null;
    });
    expect(follower).toMatchObject({ remote_actor_id: bActorId, shared_inbox_url: `${b.url}/inbox`, handle: `ngo@${new URL(b.url).host}` });

    const editor = await a.login(['editor']);
    const post = await a.http
      .post(`/api/profiles/${aProfile}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Hello fediverse', status: 'published' })
      .expect(201);
    const noteId = `${aActorId}/posts/${post.body.id}`;
    await eventually(
      async () => (await rows(a, `SELECT 1 FROM publication WHERE post_id = $1 AND state = 'published'`, [post.body.id])).length > 0,
    );

    const reply = new Note({
      id: new URL(`${b.url}/notes/reply-1`),
      attribution: new URL(bActorId),
      to: PUBLIC_COLLECTION,
      content: '<p>Great news</p>',
      replyTarget: new URL(noteId),
      tags: [new Mention({ href: new URL(aActorId) })],
    });
    await sendFromB(
      new Create({ id: new URL(`${reply.id!.href}#create`), actor: new URL(bActorId), object: reply, to: PUBLIC_COLLECTION }),
      aActor,
    );
    await sendFromB(new Like({ id: new URL(`${bActorId}#likes/1`), actor: new URL(bActorId), object: new URL(noteId) }), aActor);
    const [replyRow] = await eventually(async () => {
      const found = await rows(a, `SELECT * FROM interaction WHERE kind = 'reply'`);
      return found.length > 0 ? found : null;
    });
    expect(replyRow).toMatchObject({ remote_id: reply.id!.href, author_id: bActorId, target_post_id: post.body.id });
    await eventually(
      async () =>
        (
          await rows(a, `SELECT 1 FROM interaction WHERE kind = 'like' AND author_id = $1 AND target_post_id = $2`, [
            bActorId,
            post.body.id,
          ])
        ).length > 0,
    );

    const answer = await a.http
      .post(`/api/profiles/${aProfile}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Thanks!' })
      .expect(201);
    await rows(a, `UPDATE post SET reply_to_interaction_id = $1 WHERE id = $2`, [replyRow.id, answer.body.id]);
    await a.http.post(`/api/posts/${answer.body.id}/publish`).set('Authorization', `Bearer ${editor}`).send({}).expect(200);
    const [mention] = await eventually(async () => {
      const found = await rows(b, `SELECT * FROM interaction WHERE kind = 'mention'`);
      return found.length > 0 ? found : null;
    });
    expect(mention).toMatchObject({
      remote_id: `${aActorId}/posts/${answer.body.id}`,
      author_id: aActorId,
      parent_remote_id: reply.id!.href,
    });
  });

  it('keeps Fedify’s key–value entries in PostgreSQL with prefixes and expiry', async () => {
    const kv = a.herald.app.get(FedifyKvRepository);
    const { Temporal } = await import('@js-temporal/polyfill');
    await kv.set(['test', 'one'], { n: 1 });
    await kv.set(['test', 'two'], 'second');
    await kv.set(['test', 'gone'], true, { ttl: Temporal.Duration.from({ milliseconds: 1 }) });
    await kv.set(['other'], 3);
    // Expired once its millisecond has passed; the other entries stay.
    await eventually(async () => (await kv.get(['test', 'gone'])) === undefined);
    expect(await kv.get(['test', 'one'])).toEqual({ n: 1 });
    const listed = [];
    for await (const entry of kv.list(['test'])) listed.push(entry);
    expect(listed).toEqual([
      { key: ['test', 'one'], value: { n: 1 } },
      { key: ['test', 'two'], value: 'second' },
    ]);
    await kv.delete(['test', 'one']);
    expect(await kv.get(['test', 'one'])).toBeUndefined();
  });
});
