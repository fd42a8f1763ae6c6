import { DataSource } from 'typeorm';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('posts through the admin API', () => {
  let hub: TestHerald;
  let admin: string;
  let editor: string;
  let analyst: string;
  let profileId: string;

  const count = async (table: string) => Number((await hub.herald.app.get(DataSource).query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    // Workers off: this suite looks at publications before anything picks them up.
    hub = await startTestHerald('posts', { HERALD_ROLE: 'web' });
    admin = await hub.login(['admin']);
    editor = await hub.login(['editor']);
    analyst = await hub.login(['analyst']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        handle: 'eu',
        domain: 'social.example.eu',
        displayName: 'European Commission',
        organisationType: 'Governmental organisation',
        managedBy: 'the European Union',
      })
      .expect(201);
    profileId = profile.body.id;
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('gives a published post one pending publication per enabled protocol', async () => {
    const response = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'Say yes to health. #health', language: 'en', status: 'published' })
      .expect(201);
    expect(response.body.status).toBe('published');
    expect(
      response.body.publications.map((publication: { protocol: string; state: string }) => [publication.protocol, publication.state]),
    ).toEqual([
      ['activitypub', 'pending'],
      ['atproto', 'pending'],
    ]);
  });

  it('keeps drafts unpublished until they are published', async () => {
    const draft = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'article', title: 'Black Sea strategy', summary: 'What we propose', text: 'Long text' })
      .expect(201);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.publications.every((publication: { dueAt: string | null }) => publication.dueAt === null)).toBe(true);
    const published = await hub.http
      .post(`/api/posts/${draft.body.id}/publish`)
      .set('Authorization', `Bearer ${editor}`)
      .send({})
      .expect(200);
    expect(published.body.status).toBe('published');
    expect(published.body.publications.every((publication: { dueAt: string | null }) => publication.dueAt !== null)).toBe(true);
  });

  it('does not let an analyst create posts, and stores nothing', async () => {
    const before = await count('post');
    const response = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${analyst}`)
      .send({ kind: 'note', text: 'not allowed', status: 'published' })
      .expect(403);
    expect(response.body.message).toMatch(/editor/);
    expect(await count('post')).toBe(before);
    expect(await count('publication')).toBe(2 * before);
  });

  it('refuses bad input with the field named, and stores nothing', async () => {
    const before = await count('post');
    const cases: Array<[object, string]> = [
      [{ kind: 'poem', text: 'x' }, 'kind'],
      [{ kind: 'note', text: 'x', language: 'english!' }, 'language'],
      [{ kind: 'note', text: 'x', attachments: [{ mediaId: 'nope', altText: 'a' }] }, 'attachments.0.mediaId'],
      [{ kind: 'note', text: 'x', surprise: true }, 'surprise'],
      [{ kind: 'article', text: 'no title' }, 'title'],
      [{ kind: 'note', text: '   ' }, 'text'],
      [{ kind: 'note', text: 'x', status: 'scheduled' }, 'scheduledAt'],
      [{ kind: 'note', text: 'x', status: 'scheduled', scheduledAt: '2001-01-01T00:00:00Z' }, 'scheduledAt'],
    ];
    for (const [body, field] of cases) {
      const response = await hub.http.post(`/api/profiles/${profileId}/posts`).set('Authorization', `Bearer ${editor}`).send(body);
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(Object.keys(response.body.fields ?? {})).toContain(field);
    }
    expect(await count('post')).toBe(before);
  });

  it('routes posts through review where the profile requires approval', async () => {
    await hub.http.patch(`/api/profiles/${profileId}`).set('Authorization', `Bearer ${admin}`).send({ requiresApproval: true }).expect(200);
    const approver = await hub.login(['approver']);
    await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'needs review', status: 'published' })
      .expect(403);
    const draft = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'needs review' })
      .expect(201);
    await hub.http.post(`/api/posts/${draft.body.id}/submit`).set('Authorization', `Bearer ${editor}`).expect(200);
    await hub.http.post(`/api/posts/${draft.body.id}/approve`).set('Authorization', `Bearer ${editor}`).send({}).expect(403);
    const approved = await hub.http
      .post(`/api/posts/${draft.body.id}/approve`)
      .set('Authorization', `Bearer ${approver}`)
      .send({})
      .expect(200);
    expect(approved.body.status).toBe('published');
    await hub.http
      .patch(`/api/profiles/${profileId}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ requiresApproval: false })
      .expect(200);
  });

  it('turns a delete of a published post into pending retractions', async () => {
    const post = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ kind: 'note', text: 'short-lived', status: 'published' })
      .expect(201);
    const deleted = await hub.http.delete(`/api/posts/${post.body.id}`).set('Authorization', `Bearer ${editor}`).expect(200);
    expect(deleted.body.status).toBe('deleted');
    expect(deleted.body.publications.map((publication: { action: string }) => publication.action)).toEqual(['retract', 'retract']);
    await hub.http.patch(`/api/posts/${post.body.id}`).set('Authorization', `Bearer ${editor}`).send({ text: 'too late' }).expect(409);
  });

  it('records every change in the audit log', async () => {
    const events = await hub.http.get('/api/audit?limit=200').set('Authorization', `Bearer ${admin}`).expect(200);
    const actions = new Set(events.body.map((event: { action: string }) => event.action));
    for (const action of [
      'profile.create',
      'post.create',
      'post.publish',
      'post.submit',
      'post.approve',
      'post.delete',
      'staff.create',
      'auth.login',
    ]) {
      expect(actions).toContain(action);
    }
    await hub.http.get('/api/audit').set('Authorization', `Bearer ${editor}`).expect(403);
  });

  it('pages through posts with a cursor', async () => {
    const first = await hub.http.get(`/api/profiles/${profileId}/posts?limit=2`).set('Authorization', `Bearer ${analyst}`).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await hub.http
      .get(`/api/profiles/${profileId}/posts?limit=2&cursor=${first.body.nextCursor}`)
      .set('Authorization', `Bearer ${analyst}`)
      .expect(200);
    const ids = [...first.body.items, ...second.body.items].map((post: { id: string }) => post.id);
    expect(new Set(ids).size).toBe(ids.length);
    await hub.http.get(`/api/profiles/${profileId}/posts?cursor=garbage`).set('Authorization', `Bearer ${analyst}`).expect(400);
  });
});
