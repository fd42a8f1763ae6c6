import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { StaffPrincipal } from '../../src/access/staff-principal.js';
import { inboxItemView } from '../../src/admin/views/inbox.view.js';
import type { Interaction } from '../../src/inbox/interaction.entity.js';
import { InteractionsRepository } from '../../src/inbox/interactions.repository.js';
import { ProfilesRepository } from '../../src/profiles/profiles.repository.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { FEDERATION_QUEUES, queuesIdle } from '../support/queues.js';
import { MISSKEY_CONTEXT, PUBLIC, startRawActivityPubSender, type RawActivityPubSender } from '../support/raw-activitypub-sender.js';
import { publishedActivityPubNote, startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

jest.setTimeout(120_000);

const AP = 'application/activity+json';
/** Whom the console renders an inbox row for: a moderator sees the answer form. */
const MODERATOR_VIEW: StaffPrincipal = {
  id: randomUUID(),
  email: 'moderator@example.test',
  displayName: 'Moderator',
  roles: ['moderator'],
};

/**
 * Herald against the shapes of servers that are not Mastodon or Fedify (Misskey, Pleroma), sent
 * byte for byte by an independent sender that signs with node:crypto.
 */
describe('ActivityPub shapes from other servers', () => {
  let hub: TestHerald;
  let sender: RawActivityPubSender;
  let profileId: string;
  let actorId: string;
  let inboxUrl: string;
  let editor: string;
  let moderator: string;
  let analyst: string;
  let notePostId: string;
  let noteId: string;
  const db = () => hub.herald.app.get(DataSource);
  const interaction = async (remoteId: string): Promise<Record<string, unknown> | undefined> =>
    (await db().query(`SELECT * FROM interaction WHERE remote_id = $1`, [remoteId]))[0];
  const mk = () => sender.actor('mkadmin');
  const newId = (kind: string) => `${mk().id}/${kind}/${randomUUID()}`;
  /** A Create(Note) from mkadmin, with Misskey's context. */
  const createNote = (note: Record<string, unknown>) => ({
    '@context': MISSKEY_CONTEXT,
    id: `${note.id as string}/activity`,
    type: 'Create',
    actor: mk().id,
    to: note.to,
    cc: note.cc,
    object: { type: 'Note', attributedTo: mk().id, published: new Date().toISOString(), ...note },
  });
  const send = async (activity: Record<string, unknown>) => expect(await sender.send('mkadmin', inboxUrl, activity)).toBe(202);
  const inboxItems = async () =>
    (await hub.http.get(`/api/profiles/${profileId}/inbox?limit=100`).set('Authorization', `Bearer ${moderator}`).expect(200)).body
      .items as Array<Record<string, unknown>>;

  beforeAll(async () => {
    [hub, sender] = await Promise.all([
      startFederatedTestHerald('ap-other', '127.0.0.6'),
      startRawActivityPubSender('127.0.0.7', ['mkadmin', 'bystander']),
    ]);
    const admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    moderator = await hub.login(['moderator']);
    analyst = await hub.login(['analyst']);
    ({
      profileId,
      actorId,
      postId: notePostId,
      postObjectId: noteId,
    } = await publishedActivityPubNote(hub, 'Say yes to #health', {
      admin,
      author: editor,
    }));
    inboxUrl = `${actorId}/inbox`;
    // Both of the sender's accounts follow, so a private answer reaching the wrong one would show.
    for (const username of ['mkadmin', 'bystander']) {
      const followId = `${sender.actor(username).id}/follows/${randomUUID()}`;
      const follow = { '@context': MISSKEY_CONTEXT, id: followId, type: 'Follow', actor: sender.actor(username).id, object: actorId };
      expect(await sender.send(username, inboxUrl, follow)).toBe(202);
      await sender.waitFor(({ json }) => json.type === 'Accept' && (json.object as { id?: string })?.id === followId);
    }
    await queuesIdle(hub, FEDERATION_QUEUES);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await sender?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  describe('quotes', () => {
    it("stores Misskey's quote (_misskey_quote and quoteUrl, no inReplyTo, no Mention) as a quote of our post", async () => {
      const id = newId('notes');
      await send(
        createNote({
          id,
          content: `<p>Worth reading<br>RE: ${noteId}</p>`,
          _misskey_quote: noteId,
          quoteUrl: noteId,
          to: [PUBLIC],
          cc: [mk().followers],
        }),
      );
      const quote = await eventually(() => interaction(id));
      expect(quote).toMatchObject({ kind: 'quote', target_post_id: notePostId, audience: 'public', profile_id: profileId });
    });

    it('stores a FEP-044f quote as a quote of our post', async () => {
      const id = newId('notes');
      await send(createNote({ id, content: '<p>Quoting</p>', quote: noteId, to: [PUBLIC], cc: [mk().followers] }));
      expect(await eventually(() => interaction(id))).toMatchObject({ kind: 'quote', target_post_id: notePostId });
    });

    it("counts quotes in the post's figures and the reports", async () => {
      const report = await hub.http
        .get(`/api/profiles/${profileId}/reports/posts/${notePostId}`)
        .set('Authorization', `Bearer ${analyst}`)
        .expect(200);
      expect(JSON.stringify(report.body)).toMatch(/"quotes":2/);
    });

    it('shows quotes in the inbox, filterable by kind', async () => {
      const quotes = (
        await hub.http.get(`/api/profiles/${profileId}/inbox?kind=quote`).set('Authorization', `Bearer ${moderator}`).expect(200)
      ).body.items as Array<Record<string, unknown>>;
      expect(quotes.length).toBeGreaterThanOrEqual(2);
      expect(quotes.every((item) => item.targetPostId === notePostId)).toBe(true);
    });
  });

  describe('emoji reactions', () => {
    it('keeps the unicode emoji of a Misskey Like (content and _misskey_reaction)', async () => {
      const id = newId('likes');
      await send({ '@context': MISSKEY_CONTEXT, id, type: 'Like', actor: mk().id, object: noteId, content: '🎉', _misskey_reaction: '🎉' });
      expect(await eventually(() => interaction(id))).toMatchObject({ kind: 'like', reaction: { emoji: '🎉', imageUrl: null } });
    });

    it('keeps a custom emoji sent only as _misskey_reaction, with its image from the Emoji tag', async () => {
      const id = newId('likes');
      const image = `${sender.url}/emoji/blobcat.png`;
      await send({
        '@context': MISSKEY_CONTEXT,
        id,
        type: 'Like',
        actor: mk().id,
        object: noteId,
        _misskey_reaction: ':blobcat:',
        tag: [
          {
            id: `${sender.url}/emojis/blobcat`,
            type: 'Emoji',
            name: ':blobcat:',
            icon: { type: 'Image', mediaType: 'image/png', url: image },
          },
        ],
      });
      expect(await eventually(() => interaction(id))).toMatchObject({ kind: 'like', reaction: { emoji: ':blobcat:', imageUrl: image } });
    });

    it('drops an unsafe custom emoji image and stores a plain Like as a like without emoji', async () => {
      const unsafe = newId('likes');
      await send({
        '@context': MISSKEY_CONTEXT,
        id: unsafe,
        type: 'Like',
        actor: mk().id,
        object: noteId,
        content: ':evil:',
        tag: [{ type: 'Emoji', name: ':evil:', icon: { type: 'Image', url: 'javascript:alert(1)' } }],
      });
      const plain = newId('likes');
      await send({ '@context': MISSKEY_CONTEXT, id: plain, type: 'Like', actor: mk().id, object: noteId });
      expect(await eventually(() => interaction(unsafe))).toMatchObject({ reaction: { emoji: ':evil:', imageUrl: null } });
      expect(await eventually(() => interaction(plain))).toMatchObject({ kind: 'like', reaction: null });
    });

    it('keeps the emoji of an EmojiReact, shows it in the inbox, and withdraws it on Undo', async () => {
      const id = newId('reactions');
      const react = { '@context': MISSKEY_CONTEXT, id, type: 'EmojiReact', actor: mk().id, object: noteId, content: '👍' };
      await send(react);
      const stored = await eventually(() => interaction(id));
      expect(stored).toMatchObject({ kind: 'like', reaction: { emoji: '👍' }, withdrawn_at: null });
      const item = (await inboxItems()).find((candidate) => candidate.id === stored.id);
      expect(item).toMatchObject({ kind: 'like', reaction: { emoji: '👍', imageUrl: null } });
      const row = await hub.herald.app.get(InteractionsRepository).findById(stored.id as string);
      const profile = await hub.herald.app.get(ProfilesRepository).findById(profileId);
      expect(inboxItemView(MODERATOR_VIEW, profile!, row!, { notes: new Map(), staff: [] }).value).toContain('reacted 👍');

      await send({ '@context': MISSKEY_CONTEXT, id: `${id}/undo`, type: 'Undo', actor: mk().id, object: react });
      expect(await eventually(async () => (await interaction(id))?.withdrawn_at)).toBeTruthy();
    });
  });

  it("keeps the port in the author's handle and domain (mkadmin@host:port)", async () => {
    const id = newId('likes');
    await send({ '@context': MISSKEY_CONTEXT, id, type: 'Like', actor: mk().id, object: noteId });
    const host = new URL(sender.url).host;
    expect(host).toMatch(/:\d+$/);
    expect(await eventually(() => interaction(id))).toMatchObject({ author_handle: `mkadmin@${host}`, author_domain: host });
  });

  describe('audience', () => {
    const reply = (audience: { to: string[]; cc: string[] }, text: string) => {
      const id = newId('notes');
      return { id, activity: createNote({ id, content: `<p>${text}</p>`, inReplyTo: noteId, ...audience }) };
    };

    it('stores public, unlisted, followers-only and direct from to/cc, and shows it in the inbox', async () => {
      const shapes = {
        public: { to: [PUBLIC], cc: [mk().followers] },
        unlisted: { to: [mk().followers], cc: [PUBLIC] },
        followers: { to: [mk().followers], cc: [actorId] },
        direct: { to: [actorId], cc: [] },
      };
      const ids: Record<string, string> = {};
      for (const [audience, addressing] of Object.entries(shapes)) {
        const { id, activity } = reply(addressing, `A ${audience} reply`);
        ids[audience] = id;
        await send(activity);
      }
      for (const [audience, id] of Object.entries(ids))
        expect(await eventually(() => interaction(id))).toMatchObject({ kind: 'reply', audience });
      const items = await inboxItems();
      for (const [audience, id] of Object.entries(ids)) expect(items.find((item) => item.url === id)).toMatchObject({ audience });
      const row = await hub.herald.app.get(InteractionsRepository).findById((await interaction(ids.direct))!.id as string);
      const profile = await hub.herald.app.get(ProfilesRepository).findById(profileId);
      const view = inboxItemView(MODERATOR_VIEW, profile!, row as Interaction, { notes: new Map(), staff: [] }).value;
      expect(view).toContain('direct message');
      expect(view).toContain(`This answer is a direct message to @mkadmin@${new URL(sender.url).host}: only they will see it.`);
    });

    it('stores a direct message addressed only to us (no Mention tag) as a mention', async () => {
      const id = newId('notes');
      await send(createNote({ id, content: '<p>Private question</p>', to: [actorId], cc: [] }));
      expect(await eventually(() => interaction(id))).toMatchObject({ kind: 'mention', audience: 'direct', target_post_id: null });
    });

    it('answers a direct message as a direct message to its author only, kept off every public surface', async () => {
      const id = newId('notes');
      await send(createNote({ id, content: '<p>My case number is 4711</p>', to: [actorId], cc: [] }));
      const dm = await eventually(() => interaction(id));
      const answer = await hub.http
        .post(`/api/inbox/${dm.id as string}/answer`)
        .set('Authorization', `Bearer ${moderator}`)
        .send({ text: 'We will call you about case 4711' })
        .expect(201);
      const objectId = `${actorId}/posts/${answer.body.id}`;
      const delivered = await sender.waitFor(({ json }) => json.type === 'Create' && (json.object as { id?: string })?.id === objectId);
      await queuesIdle(hub, FEDERATION_QUEUES);

      // What the author's server received: addressed to them alone, at their own inbox.
      const object = delivered.json.object as Record<string, unknown>;
      expect(delivered.username).toBe('mkadmin');
      expect([delivered.json.to].flat()).toEqual([mk().id]);
      expect([object.to].flat()).toEqual([mk().id]);
      expect(delivered.json.cc ?? []).toEqual([]);
      expect(object.cc ?? []).toEqual([]);
      expect(object).toMatchObject({ inReplyTo: id });
      // Nobody else got it: not the other follower, not the shared inbox.
      const copies = sender.received.filter(({ json }) => (json.object as { id?: string })?.id === objectId);
      expect(copies.map((copy) => copy.username)).toEqual(['mkadmin']);

      // Not on the public page, the feeds, the outbox or the reach report; the object only to its addressee.
      const page = await hub.http.get('/@eu').set('Accept', 'text/html').expect(200);
      expect(page.text).not.toContain('case 4711');
      await hub.http.get(`/@eu/posts/${answer.body.id}`).set('Accept', 'text/html').expect(404);
      for (const feed of ['feed.rss', 'feed.atom'])
        expect((await hub.http.get(`/@eu/${feed}`).expect(200)).text).not.toContain('case 4711');
      const outbox = await hub.http.get('/@eu/outbox?cursor=').set('Accept', AP).expect(200);
      expect(JSON.stringify(outbox.body)).not.toContain(objectId);
      const unsigned = await hub.http.get(`/@eu/posts/${answer.body.id}`).set('Accept', AP);
      expect([401, 404]).toContain(unsigned.status);
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const report = await hub.http
        .get(`/api/profiles/${profileId}/reports/export?report=posts&format=csv&from=${day(-30)}&to=${day(1)}&timeZone=UTC`)
        .set('Authorization', `Bearer ${analyst}`)
        .expect(200);
      expect(report.text).not.toContain('case 4711');
      expect(report.text).toContain(notePostId);
    });

    it('answers a followers-only reply to its author (and whom it names), never publicly', async () => {
      const { id, activity } = reply({ to: [mk().followers], cc: [actorId] }, 'Only for my followers');
      await send(activity);
      const stored = await eventually(() => interaction(id));
      expect(stored).toMatchObject({ audience: 'followers' });
      const answer = await hub.http
        .post(`/api/inbox/${stored.id as string}/answer`)
        .set('Authorization', `Bearer ${moderator}`)
        .send({ text: 'Thanks for telling us' })
        .expect(201);
      const objectId = `${actorId}/posts/${answer.body.id}`;
      const delivered = await sender.waitFor(({ json }) => json.type === 'Create' && (json.object as { id?: string })?.id === objectId);
      await queuesIdle(hub, FEDERATION_QUEUES);
      const addressed = [delivered.json.to, delivered.json.cc].flat().filter(Boolean);
      expect(addressed).toContain(mk().id);
      expect(addressed).not.toContain(PUBLIC);
      expect(addressed).not.toContain('as:Public');
      expect(addressed).not.toContain(`${actorId}/followers`);
      const copies = sender.received.filter(({ json }) => (json.object as { id?: string })?.id === objectId);
      expect(copies.map((copy) => copy.username)).toEqual(['mkadmin']);
    });

    it('answers a public reply publicly, to the followers too', async () => {
      const { id, activity } = reply({ to: [PUBLIC], cc: [mk().followers] }, 'Public question');
      await send(activity);
      const stored = await eventually(() => interaction(id));
      const answer = await hub.http
        .post(`/api/inbox/${stored.id as string}/answer`)
        .set('Authorization', `Bearer ${moderator}`)
        .send({ text: 'Public answer' })
        .expect(201);
      const objectId = `${actorId}/posts/${answer.body.id}`;
      const delivered = await sender.waitFor(({ json }) => json.type === 'Create' && (json.object as { id?: string })?.id === objectId);
      expect([delivered.json.to].flat()).toEqual([PUBLIC]);
      expect([delivered.json.cc].flat()).toContain(`${actorId}/followers`);
    });
  });

  it('sends an Article that a summary-as-content-warning server shows uncollapsed: no summary, the teaser leads the content', async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'article', title: 'Black Sea strategy', summary: 'What we propose', text: 'Long text', status: 'published' })
      .expect(201);
    const objectId = `${actorId}/posts/${post.body.id}`;
    const delivered = await sender.waitFor(({ json }) => json.type === 'Create' && (json.object as { id?: string })?.id === objectId);
    const article = delivered.json.object as Record<string, unknown>;
    expect(article).toMatchObject({ type: 'Article', name: 'Black Sea strategy', url: objectId, sensitive: false });
    expect(article).not.toHaveProperty('summary');
    expect(article.content).toBe('<p><strong>What we propose</strong></p><p>Long text</p>');
  });

  it("counts the hub's public posts in NodeInfo localPosts, not its direct answers", async () => {
    await queuesIdle(hub, FEDERATION_QUEUES);
    const links = await hub.http.get('/.well-known/nodeinfo').expect(200);
    const nodeinfo = await hub.http.get(new URL(links.body.links[0].href).pathname).expect(200);
    const [row] = await db().query(`SELECT count(*)::int AS n FROM post WHERE status = 'published' AND audience IN ('public', 'unlisted')`);
    expect(row.n).toBeGreaterThanOrEqual(2);
    expect(nodeinfo.body.usage.localPosts).toBe(row.n);
  });
});
