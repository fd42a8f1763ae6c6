import { request as httpRequest, createServer, type Server } from 'node:http';
import { jest } from '@jest/globals';
import { Create, Like, Move, Note, Person, Undo, Update } from '@fedify/vocab';
import { DataSource } from 'typeorm';
import { REMOTE_HTML_MAX_CHARS } from '../../src/inbox/content-sanitizer.js';
import { eventually } from '../support/eventually.js';
import { startFediversePeer, type FediversePeer } from '../support/fediverse-peer.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';
import { publishedActivityPubNote, startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(60_000);

const AP = 'application/activity+json';
const AS = 'https://www.w3.org/ns/activitystreams';
const MiB = 1024 * 1024;

/**
 * Cross-origin spoofing (the class of Mastodon's CVE-2024-23832) and unbounded bodies, through
 * Herald's real HTTP inbox, sent by real signing servers: `victim` (alice, and bob on the same
 * server) and `attacker`, on another origin. Every attack must change nothing.
 */
describe('ActivityPub inbox under attack', () => {
  let hub: TestHerald;
  let victim: FediversePeer;
  let attacker: FediversePeer;
  let actorId: string;
  let inbox: string;
  let postObjectId: string;
  const db = () => hub.herald.app.get(DataSource);
  const interaction = async (remoteId: string): Promise<Record<string, unknown> | undefined> =>
    (await db().query(`SELECT * FROM interaction WHERE remote_id = $1`, [remoteId]))[0];
  const activeFollower = async (remoteActorId: string): Promise<Record<string, unknown> | undefined> =>
    (await db().query(`SELECT * FROM follower WHERE remote_actor_id = $1 AND until IS NULL`, [remoteActorId]))[0];
  const settled = () => queuesIdle(hub, FEDERATION_QUEUES);
  const bobOf = (peer: FediversePeer) => new URL(`${peer.url}/users/bob`);

  beforeAll(async () => {
    [hub, victim, attacker] = await Promise.all([
      startFederatedTestHerald('ap-attacks', '127.0.0.40'),
      startFediversePeer('127.0.0.41'),
      startFediversePeer('127.0.0.42'),
    ]);
    const admin = await hub.login(['admin']);
    ({ actorId, postObjectId } = await publishedActivityPubNote(hub, 'Reply to me', { admin }));
    inbox = `${actorId}/inbox`;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([victim?.close(), attacker?.close()]);
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  describe('spoofing across actors and origins', () => {
    let replyId: string;
    const replyText = async () => (await interaction(replyId))?.content_text;

    beforeAll(async () => {
      replyId = await victim.reply(postObjectId, actorId, '<p>original</p>');
      await eventually(() => interaction(replyId));
    });

    it("refuses an Update of another actor's reply from the same server, whoever the object names as author", async () => {
      const bob = bobOf(victim);
      const forged = (attribution: URL) =>
        new Update({
          id: victim.nextId('updates'),
          actor: bob,
          object: new Note({ id: new URL(replyId), attribution, content: '<p>hijacked by bob</p>', replyTarget: new URL(postObjectId) }),
        });
      await victim.send(actorId, forged(bob), 'bob');
      await victim.send(actorId, forged(new URL(victim.actorId)), 'bob');
      await settled();
      expect(await replyText()).toBe('original');
    });

    it('refuses an Update from another server embedding an object of a third origin, with its id on either origin', async () => {
      const me = new URL(attacker.actorId);
      const note = (attribution: URL) =>
        new Note({ id: new URL(replyId), attribution, content: '<p>hijacked</p>', replyTarget: new URL(postObjectId) });
      await attacker.send(actorId, new Update({ id: attacker.nextId('updates'), actor: me, object: note(me) }));
      // An id on the victim's origin is refused at the door (400), before anything is parsed or queued.
      await expect(
        attacker.send(actorId, new Update({ id: victim.nextId('updates'), actor: me, object: note(new URL(victim.actorId)) })),
      ).rejects.toThrow(/400/);
      await settled();
      expect(await replyText()).toBe('original');
    });

    it("still applies the author's own Update", async () => {
      await victim.editNote(replyId, actorId, '<p>edited by alice</p>');
      await eventually(async () => (await replyText()) === 'edited by alice');
    });

    it("refuses an Undo of another actor's Like: from another server, embedded or by URL, or from the same server", async () => {
      const likeId = await victim.like(postObjectId, actorId);
      await eventually(() => interaction(likeId));
      const me = new URL(attacker.actorId);
      const like = new Like({ id: new URL(likeId), actor: new URL(victim.actorId), object: new URL(postObjectId) });
      await attacker.send(actorId, new Undo({ id: attacker.nextId('undos'), actor: me, object: like }));
      await attacker.send(actorId, new Undo({ id: attacker.nextId('undos'), actor: me, object: new URL(likeId) }));
      await expect(attacker.send(actorId, new Undo({ id: victim.nextId('undos'), actor: me, object: new URL(likeId) }))).rejects.toThrow(
        /400/,
      );
      const bob = bobOf(victim);
      await victim.send(actorId, new Undo({ id: victim.nextId('undos'), actor: bob, object: new URL(likeId) }), 'bob');
      await settled();
      expect((await interaction(likeId))?.withdrawn_at).toBeNull();
      await victim.send(actorId, new Undo({ id: victim.nextId('undos'), actor: new URL(victim.actorId), object: new URL(likeId) }));
      await eventually(async () => (await interaction(likeId))?.withdrawn_at);
    });

    it("refuses an activity whose id is on another origin than its actor's, and still takes the real one under that id", async () => {
      const forgedId = `${victim.url}/likes/forged-by-attacker`;
      await expect(
        attacker.send(actorId, new Like({ id: new URL(forgedId), actor: new URL(attacker.actorId), object: new URL(postObjectId) })),
      ).rejects.toThrow(/400/);
      const note = new Note({
        id: new URL(`${victim.url}/notes/forged`),
        attribution: new URL(attacker.actorId),
        content: '<p>forged</p>',
        replyTarget: new URL(postObjectId),
      });
      await expect(
        attacker.send(actorId, new Create({ id: new URL(`${victim.url}/creates/forged`), actor: new URL(attacker.actorId), object: note })),
      ).rejects.toThrow(/400/);
      await settled();
      expect(await interaction(forgedId)).toBeUndefined();
      expect(await interaction(note.id!.href)).toBeUndefined();
      // Refused before Fedify's queue, the forged id was never remembered as processed: the victim's own Like under it counts.
      await victim.like(postObjectId, actorId, forgedId);
      expect(await eventually(() => interaction(forgedId))).toMatchObject({ kind: 'like', author_id: victim.actorId });
    });
  });

  describe('Move', () => {
    let me: URL;

    beforeAll(async () => {
      me = new URL(attacker.actorId);
      await attacker.follow(actorId);
      await eventually(() => activeFollower(attacker.actorId));
    });

    /** The attacker's Move to an embedded account; what Herald must read is that account's own document. */
    const moveTo = (target: Person, id = attacker.nextId('moves')) => new Move({ id, actor: me, object: me, target });

    it("refuses a Move whose embedded target claims a third party's id with the attacker's inbox", async () => {
      const victimAlice = new Person({
        id: new URL(victim.actorId),
        preferredUsername: 'alice',
        aliases: [me],
        inbox: new URL(`${attacker.url}/users/alice/inbox`),
      });
      await attacker.send(actorId, moveTo(victimAlice));
      await expect(attacker.send(actorId, moveTo(victimAlice, victim.nextId('moves')))).rejects.toThrow(/400/);
      await settled();
      expect(await activeFollower(victim.actorId)).toBeUndefined();
      expect(await activeFollower(attacker.actorId)).toBeDefined();
    });

    it('refuses a Move to an account whose own document does not list the mover in alsoKnownAs', async () => {
      // The victim's bob lists the victim's alice, not the attacker.
      const bob = new Person({ id: bobOf(victim), preferredUsername: 'bob', inbox: new URL(`${attacker.url}/inbox`) });
      await attacker.send(actorId, moveTo(bob));
      await settled();
      expect(await activeFollower(bobOf(victim).href)).toBeUndefined();
      expect(await activeFollower(attacker.actorId)).toBeDefined();
    });
  });

  describe('bodies', () => {
    const reply = (id: string, content: string) =>
      JSON.stringify({
        '@context': AS,
        id: `${id}#create`,
        type: 'Create',
        actor: victim.actorId,
        object: { id, type: 'Note', attributedTo: victim.actorId, inReplyTo: postObjectId, content, to: `${AS}#Public` },
      });

    it('refuses a signed 2 MB body with 413 and stores nothing', async () => {
      const id = `${victim.url}/notes/two-megabytes`;
      expect(await victim.postSigned(inbox, reply(id, `<p>${'a'.repeat(2 * MiB)}</p>`))).toBe(413);
      await settled();
      expect(await interaction(id)).toBeUndefined();
    });

    it('stores a long reply within the body limit cut to the content limit', async () => {
      const id = `${victim.url}/notes/long`;
      expect(await victim.postSigned(inbox, reply(id, `<p>${'long words '.repeat(80_000)}</p>`))).toBe(202);
      const stored = await eventually(() => interaction(id));
      expect((stored.content_html as string).length).toBeLessThanOrEqual(REMOTE_HTML_MAX_CHARS);
    });

    it('answers 413 at once to a body that declares more than the limit, reading none of it', async () => {
      const { status, sent } = await upload(inbox, { declaredLength: 200 * MiB });
      expect(status).toBe(413);
      expect(sent).toBeLessThan(32 * MiB);
    });

    it('answers 413 quickly to four unsigned 200 MB streamed bodies, reading little and holding little memory', async () => {
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = Date.now();
      try {
        const results = await Promise.all([1, 2, 3, 4].map(() => upload(inbox, {})));
        const elapsed = Date.now() - started;
        console.log(
          `4 × 200 MB chunked bodies: statuses ${results.map((result) => result.status).join(',')}, ` +
            `sent ${results.map((result) => (result.sent / MiB).toFixed(1)).join(', ')} MiB, ${elapsed} ms, ` +
            `RSS +${((peak - before) / MiB).toFixed(1)} MiB`,
        );
        expect(results.map((result) => result.status)).toEqual([413, 413, 413, 413]);
        for (const { sent } of results) expect(sent).toBeLessThan(32 * MiB);
        expect(elapsed).toBeLessThan(10_000);
        expect(peak - before).toBeLessThan(128 * MiB);
      } finally {
        clearInterval(sampler);
      }
    });
  });

  describe('JSON-LD contexts', () => {
    let contextServer: Server;
    let contextUrl: string;
    let contextRequests = 0;

    beforeAll(async () => {
      contextServer = createServer((_req, res) => {
        contextRequests++;
        res.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify({ '@context': { evil: 'https://evil/' } }));
      });
      await new Promise<void>((resolve) => contextServer.listen(0, '127.0.0.43', resolve));
      const address = contextServer.address();
      contextUrl = `http://127.0.0.43:${typeof address === 'object' && address ? address.port : 0}/context.jsonld`;
    });

    afterAll(() => new Promise<void>((resolve) => contextServer.close(() => resolve())));

    const withRemoteContext = (extra: Record<string, unknown>) =>
      JSON.stringify({
        '@context': [AS, contextUrl],
        id: `${victim.url}/likes/remote-context-${Object.keys(extra).join('-') || 'plain'}`,
        type: 'Like',
        actor: victim.actorId,
        object: postObjectId,
        ...extra,
      });

    it('answers 401 to an unsigned body naming a remote context, and never fetches the context', async () => {
      await hub.http.post('/@eu/inbox').set('Content-Type', AP).send(withRemoteContext({})).expect(401);
      expect(contextRequests).toBe(0);
    });

    it('never fetches a remote context while checking a claimed Linked Data signature', async () => {
      const signature = {
        type: 'RsaSignature2017',
        creator: `${victim.actorId}#main-key`,
        created: new Date().toISOString(),
        signatureValue: 'Zm9yZ2Vk',
      };
      await hub.http.post('/@eu/inbox').set('Content-Type', AP).send(withRemoteContext({ signature })).expect(401);
      expect(contextRequests).toBe(0);
    });
  });
});

/**
 * Streams (or declares) a 200 MB body to an inbox, unsigned, and stops as soon as an answer
 * comes; `sent` is how much of the body the server let through before answering.
 */
function upload(url: string, { declaredLength }: { declaredLength?: number }): Promise<{ status: number; sent: number }> {
  const total = 200 * MiB;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': AP, ...(declaredLength ? { 'content-length': String(declaredLength) } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    req.write('{"@context":"https://www.w3.org/ns/activitystreams","type":"Note","content":"');
    write();
  });
}
