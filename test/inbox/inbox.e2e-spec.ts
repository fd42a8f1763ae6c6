import { DataSource } from 'typeorm';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { looksLive, XSS_PAYLOADS } from '../support/xss-payloads.js';
import { apReply, atReply, createProfile } from './inbox-fixtures.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('the unified inbox through the admin API', () => {
  let hub: TestHerald;
  let inbox: InboxService;
  let moderator: string;
  let analyst: string;
  let editor: string;
  let profileId: string;
  let otherProfileId: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const db = () => hub.herald.app.get(DataSource);

  beforeAll(async () => {
    // Workers off: answers stay pending, so the test sees the publication rows before any adapter does.
    hub = await startTestHerald('inbox', { HERALD_ROLE: 'web' });
    inbox = hub.herald.app.get(InboxService);
    const admin = await hub.login(['admin']);
    moderator = await hub.login(['moderator']);
    analyst = await hub.login(['analyst']);
    editor = await hub.login(['editor']);
    profileId = await createProfile(hub, admin, 'eu');
    otherProfileId = await createProfile(hub, admin, 'other');
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('holds replies from both protocols in one list, newest first, in one shape', async () => {
    const first = await inbox.receive(apReply(profileId));
    const second = await inbox.receive(atReply(profileId));
    await inbox.receive(apReply(otherProfileId));
    const response = await hub.http.get(`/api/profiles/${profileId}/inbox`).set(auth(analyst)).expect(200);
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([second!.id, first!.id]);
    const [at, ap] = response.body.items;
    expect(at).toMatchObject({
      protocol: 'atproto',
      kind: 'reply',
      author: { id: 'did:plc:bob', handle: 'bob.bsky.example', name: 'Bob' },
      contentHtml: '<p>Hello from Bluesky</p>',
      contentText: 'Hello from Bluesky',
      state: 'new',
      labels: [],
    });
    expect(ap).toMatchObject({
      protocol: 'activitypub',
      author: { domain: 'mastodon.example', avatarUrl: 'https://mastodon.example/avatars/alice.png' },
      contentHtml: '<p>Hello from the fediverse</p>',
    });
    expect(ap.url).toMatch(/^https:\/\/mastodon\.example\/@alice\//);
  });

  it('shows reports (AP Flag) as their own kind', async () => {
    const report = await inbox.receive(apReply(profileId, { kind: 'report', html: '<p>This post is misleading</p>', targetPostId: null }));
    const items = (await hub.http.get(`/api/profiles/${profileId}/inbox`).query({ kind: 'report' }).set(auth(moderator)).expect(200)).body
      .items;
    expect(items).toEqual([expect.objectContaining({ id: report!.id, kind: 'report', contentText: 'This post is misleading' })]);
  });

  it('stores a redelivered interaction once', async () => {
    const reply = apReply(profileId);
    expect(await inbox.receive(reply)).not.toBeNull();
    expect(await inbox.receive(reply)).toBeNull();
    const rows = await db().query(`SELECT count(*)::int AS n FROM interaction WHERE remote_id = $1`, [reply.remoteId]);
    expect(rows[0].n).toBe(1);
  });

  it('pages with a cursor without skipping or repeating, and filters by protocol, kind, author, text and date', async () => {
    const profile = await createProfile(hub, await hub.login(['admin']), 'paging');
    const received = [];
    for (let index = 0; index < 7; index++) {
      const make = index % 2 === 0 ? apReply : atReply;
      received.push(
        await inbox.receive(
          make(profile, {
            kind: index === 6 ? 'mention' : 'reply',
            text: `message number ${index} ${index === 3 ? 'budget question' : ''}`,
            html: null,
          }),
        ),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await hub.http
        .get(`/api/profiles/${profile}/inbox`)
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(auth(moderator))
        .expect(200);
      seen.push(...response.body.items.map((item) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(received.map((interaction) => interaction!.id).reverse());

    const list = async (query: Record<string, string>) =>
      (await hub.http.get(`/api/profiles/${profile}/inbox`).query(query).set(auth(moderator)).expect(200)).body.items.map(
        (item: { id: string }) => item.id,
      );
    expect(await list({ protocol: 'atproto' })).toEqual([received[5], received[3], received[1]].map((interaction) => interaction!.id));
    expect(await list({ kind: 'mention' })).toEqual([received[6]!.id]);
    expect(await list({ kind: 'mention,reply' })).toHaveLength(7);
    expect(await list({ q: 'budget' })).toEqual([received[3]!.id]);
    expect(await list({ author: 'did:plc:bob' })).toHaveLength(3);
    expect(await list({ author: 'bob.bsky.example' })).toHaveLength(3);
    expect(await list({ since: received[5]!.receivedAt.toISOString() })).toEqual(
      [received[6], received[5]].map((interaction) => interaction!.id),
    );
    expect(await list({ until: received[1]!.receivedAt.toISOString() })).toEqual([received[0]!.id]);
    await hub.http.get(`/api/profiles/${profile}/inbox`).query({ kind: 'poke' }).set(auth(moderator)).expect(400);
    await hub.http.get(`/api/profiles/${profile}/inbox`).query({ cursor: 'garbage' }).set(auth(moderator)).expect(400);
  });

  it('filters by the canonical post an interaction answers', async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set(auth(editor))
      .send({ kind: 'note', text: 'Our post' })
      .expect(201);
    const about = await inbox.receive(apReply(profileId, { targetPostId: post.body.id }));
    const items = (await hub.http.get(`/api/profiles/${profileId}/inbox`).query({ postId: post.body.id }).set(auth(analyst)).expect(200))
      .body.items;
    expect(items.map((item: { id: string }) => item.id)).toEqual([about!.id]);
    const detail = await hub.http.get(`/api/inbox/${about!.id}`).set(auth(analyst)).expect(200);
    expect(detail.body.thread.post).toMatchObject({ id: post.body.id, text: 'Our post' });
  });

  it('makes XSS payloads inert in stored HTML, text and links, as the API returns them', async () => {
    const ids: string[] = [];
    for (const payload of XSS_PAYLOADS) {
      const received = await inbox.receive(
        apReply(profileId, {
          html: payload,
          url: 'javascript:alert(1)',
          author: {
            id: 'https://evil.example/users/x',
            name: '<img src=x onerror=alert(1)>',
            url: 'javascript:alert(2)',
            avatarUrl: 'data:image/svg+xml,<svg onload=alert(1)>',
          },
        }),
      );
      ids.push(received!.id);
    }
    for (const id of ids) {
      const { body } = await hub.http.get(`/api/inbox/${id}`).set(auth(moderator)).expect(200);
      expect(looksLive(body.contentHtml ?? '')).toBe(false);
      expect(body.contentText ?? '').not.toMatch(/<script|alert\(1\)<\/script/i);
      expect(body.url).toBeNull();
      expect(body.author.url).toBeNull();
      expect(body.author.avatarUrl).toBeNull();
    }
  });

  it('lets a moderator assign, label, note and resolve, and records each in the audit log', async () => {
    const interaction = await inbox.receive(atReply(profileId));
    const me = (await hub.http.get('/api/auth/me').set(auth(moderator)).expect(200)).body;
    const assigned = await hub.http
      .patch(`/api/inbox/${interaction!.id}`)
      .set(auth(moderator))
      .send({ assigneeId: me.id, labels: ['press', 'urgent'] })
      .expect(200);
    expect(assigned.body).toMatchObject({ state: 'assigned', assigneeId: me.id, labels: ['press', 'urgent'] });
    const noted = await hub.http
      .post(`/api/inbox/${interaction!.id}/notes`)
      .set(auth(moderator))
      .send({ text: 'Ask the press office' })
      .expect(201);
    expect(noted.body.notes).toEqual([expect.objectContaining({ text: 'Ask the press office', authorId: me.id })]);
    await hub.http.patch(`/api/inbox/${interaction!.id}`).set(auth(moderator)).send({ state: 'resolved' }).expect(200);
    const actions = await db().query(`SELECT action FROM audit_event WHERE details->'ids' ? $1 OR subject_id = $1 ORDER BY id`, [
      interaction!.id,
    ]);
    expect(actions.map((row: { action: string }) => row.action)).toEqual(['interaction.triage', 'interaction.note', 'interaction.triage']);
    const resolved = await hub.http.get(`/api/profiles/${profileId}/inbox`).query({ state: 'resolved' }).set(auth(analyst)).expect(200);
    expect(resolved.body.items.map((item: { id: string }) => item.id)).toContain(interaction!.id);
  });

  it("applies bulk actions to the profile's own interactions only", async () => {
    const mine = [await inbox.receive(apReply(profileId)), await inbox.receive(atReply(profileId))];
    const foreign = await inbox.receive(apReply(otherProfileId));
    const ids = [...mine.map((interaction) => interaction!.id), foreign!.id];
    const response = await hub.http
      .post(`/api/profiles/${profileId}/inbox/bulk`)
      .set(auth(moderator))
      .send({ ids, action: 'label', label: 'campaign' })
      .expect(200);
    expect(response.body.updated.sort()).toEqual(mine.map((interaction) => interaction!.id).sort());
    await hub.http
      .post(`/api/profiles/${profileId}/inbox/bulk`)
      .set(auth(moderator))
      .send({ ids, action: 'state', state: 'spam' })
      .expect(200);
    const states = await db().query(`SELECT id, state, labels FROM interaction WHERE id = ANY($1::uuid[])`, [ids]);
    expect(states.find((row: { id: string }) => row.id === foreign!.id)).toMatchObject({ state: 'new', labels: [] });
    expect(states.filter((row: { state: string }) => row.state === 'spam')).toHaveLength(2);
    const visible = (
      await hub.http.get(`/api/profiles/${profileId}/inbox`).query({ limit: 100 }).set(auth(moderator)).expect(200)
    ).body.items.map((item: { id: string }) => item.id);
    expect(visible).not.toContain(mine[0]!.id);
    await hub.http.post(`/api/profiles/${profileId}/inbox/bulk`).set(auth(moderator)).send({ ids, action: 'state' }).expect(400);
  });

  it("answers natively: one published post, one publication on the interaction's protocol only", async () => {
    const bluesky = await inbox.receive(atReply(profileId));
    const fediverse = await inbox.receive(apReply(profileId));
    for (const [interaction, protocol] of [
      [bluesky!, 'atproto'],
      [fediverse!, 'activitypub'],
    ] as const) {
      const answer = await hub.http
        .post(`/api/inbox/${interaction.id}/answer`)
        .set(auth(moderator))
        .send({ text: 'Thanks, we will look into it.' })
        .expect(201);
      expect(answer.body).toMatchObject({ kind: 'note', status: 'published', replyToInteractionId: interaction.id });
      expect(
        answer.body.publications.map((publication: { protocol: string; state: string }) => [publication.protocol, publication.state]),
      ).toEqual([[protocol, 'pending']]);
      const detail = await hub.http.get(`/api/inbox/${interaction.id}`).set(auth(analyst)).expect(200);
      expect(detail.body.state).toBe('answered');
      expect(detail.body.answers).toEqual([
        expect.objectContaining({ id: answer.body.id, publications: [expect.objectContaining({ protocol, state: 'pending' })] }),
      ]);
    }
    const audit = await db().query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY id`, [bluesky!.id]);
    expect(audit.map((row: { action: string }) => row.action)).toContain('interaction.answer');
  });

  it('refuses to answer a like, and stores nothing', async () => {
    const like = await inbox.receive(apReply(profileId, { kind: 'like', html: null }));
    const before = (await db().query(`SELECT count(*)::int AS n FROM post`))[0].n;
    await hub.http.post(`/api/inbox/${like!.id}/answer`).set(auth(moderator)).send({ text: 'hi' }).expect(409);
    expect((await db().query(`SELECT count(*)::int AS n FROM post`))[0].n).toBe(before);
  });

  it('shows the thread: remote parents above, replies below', async () => {
    const top = await inbox.receive(apReply(profileId));
    const middle = await inbox.receive(apReply(profileId, { parentRemoteId: top!.remoteId }));
    const bottom = await inbox.receive(apReply(profileId, { parentRemoteId: middle!.remoteId }));
    const detail = await hub.http.get(`/api/inbox/${middle!.id}`).set(auth(analyst)).expect(200);
    expect(detail.body.thread.parents.map((item: { id: string }) => item.id)).toEqual([top!.id]);
    expect(detail.body.thread.replies.map((item: { id: string }) => item.id)).toEqual([bottom!.id]);
    const leaf = await hub.http.get(`/api/inbox/${bottom!.id}`).set(auth(analyst)).expect(200);
    expect(leaf.body.thread.parents.map((item: { id: string }) => item.id)).toEqual([top!.id, middle!.id]);
  });

  it('lets analysts read but not change, answer or bulk-edit, and keeps editors out, as the console does', async () => {
    const interaction = await inbox.receive(apReply(profileId));
    for (const token of [analyst, editor]) {
      const read = token === analyst ? 200 : 403;
      await hub.http.get(`/api/profiles/${profileId}/inbox`).set(auth(token)).expect(read);
      await hub.http.get(`/api/inbox/${interaction!.id}`).set(auth(token)).expect(read);
      await hub.http.patch(`/api/inbox/${interaction!.id}`).set(auth(token)).send({ state: 'resolved' }).expect(403);
      await hub.http.post(`/api/inbox/${interaction!.id}/notes`).set(auth(token)).send({ text: 'x' }).expect(403);
      await hub.http.post(`/api/inbox/${interaction!.id}/answer`).set(auth(token)).send({ text: 'x' }).expect(403);
      await hub.http
        .post(`/api/profiles/${profileId}/inbox/bulk`)
        .set(auth(token))
        .send({ ids: [interaction!.id], action: 'state', state: 'spam' })
        .expect(403);
    }
    await hub.http.get(`/api/profiles/${profileId}/inbox`).expect(401);
    const row = await db().query(`SELECT state FROM interaction WHERE id = $1`, [interaction!.id]);
    expect(row[0].state).toBe('new');
  });

  it('refuses bad triage input with the field named', async () => {
    const interaction = await inbox.receive(apReply(profileId));
    const bad = await hub.http.patch(`/api/inbox/${interaction!.id}`).set(auth(moderator)).send({ state: 'deleted' }).expect(400);
    expect(Object.keys(bad.body.fields)).toContain('state');
    const ghost = await hub.http
      .patch(`/api/inbox/${interaction!.id}`)
      .set(auth(moderator))
      .send({ assigneeId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(Object.keys(ghost.body.fields)).toContain('assigneeId');
    await hub.http
      .patch(`/api/inbox/${interaction!.id}`)
      .set(auth(moderator))
      .send({ labels: ['<script>'] })
      .expect(400);
    await hub.http.patch(`/api/inbox/00000000-0000-4000-8000-000000000000`).set(auth(moderator)).send({ state: 'resolved' }).expect(404);
  });
});

describe('inbox list query plans', () => {
  let hub: TestHerald;

  beforeAll(async () => {
    hub = await startTestHerald('inboxplan', { HERALD_ROLE: 'web' });
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('searches with exactly the expression the search index holds, so the index can serve it', async () => {
    const { InboxQueries } = await import('../../src/inbox/inbox.queries.js');
    const [sql, params] = hub.herald.app
      .get(InboxQueries)
      .listQuery('00000000-0000-4000-8000-000000000000', { q: 'budget' }, 26)
      .getQueryAndParameters();
    const db = hub.herald.app.get(DataSource);
    const plan = (await db.query(`EXPLAIN ${sql}`, params)).map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    const [{ definition }] = await db.query(`SELECT pg_get_indexdef('interaction_search_idx'::regclass) AS definition`);
    // Both are PostgreSQL's own deparsing, so equal expressions print equally.
    const indexed = /USING gin \((.*)\)$/.exec(definition)![1];
    expect(indexed).toMatch(/^to_tsvector/);
    expect(plan).toContain(`${indexed} @@`);
  });
});
