import request from 'supertest';
import { DataSource } from 'typeorm';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { htmlProblems } from '../support/html-validity.js';
import { TEST_PASSWORD, startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

describe('the console pages', () => {
  let hub: TestHerald;
  let profileId: string;
  let cookie: string[];

  const page = (path: string) => request(hub.url).get(path).set('Cookie', cookie);

  beforeAll(async () => {
    hub = await startTestHerald('web-console-pages', { HERALD_ROLE: 'web' });
    const admin = await hub.login(['admin'], 'admin@example.test');
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'eu', domain: 'ec.social.example.eu', displayName: 'European Commission' })
      .expect(201);
    profileId = profile.body.id;
    await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ kind: 'note', text: 'A draft <b>with markup</b>' })
      .expect(201);
    const published = await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ kind: 'note', text: 'Measured <b>post</b>', status: 'published' })
      .expect(201);
    const snapshot = `INSERT INTO metric_snapshot (post_id, protocol, taken_at, likes, reposts, replies, quotes) VALUES ($1, $2, now(), $3, $4, $5, $6)`;
    await hub.herald.app.get(DataSource).query(snapshot, [published.body.id, 'activitypub', 10, 2, 1, 0]);
    await hub.herald.app.get(DataSource).query(snapshot, [published.body.id, 'atproto', 20, 3, 1, 1]);
    await hub.herald.app.get(InboxService).receive({
      profileId,
      protocol: 'atproto',
      kind: 'reply',
      remoteId: 'at://did:plc:alice/app.bsky.feed.post/1',
      author: { id: 'did:plc:alice', handle: 'alice.example', name: 'Alice <img src=x onerror=alert(1)>' },
      text: 'Hello <script>alert(1)</script>',
    });
    const login = await request(hub.url).post('/api/auth/login').send({ email: 'admin@example.test', password: TEST_PASSWORD }).expect(200);
    cookie = login.headers['set-cookie'] as unknown as string[];
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it.each(['compose', 'posts', 'inbox', 'reports', 'settings'])('serves a valid, escaped %s page to a logged-in admin', async (section) => {
    const response = await page(`/admin/profiles/${profileId}/${section}`).expect(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(await htmlProblems(response.text)).toEqual([]);
    expect(response.text).not.toMatch(/<b>|<script>alert|<img src=x/);
  });

  it("shows each network's publication state and its last error in the post list", async () => {
    await hub.herald.app
      .get(DataSource)
      .query(
        `UPDATE publication SET state = 'failed', attempts = 8, last_error = 'PDS refused the record: <InvalidRequest>' WHERE protocol = 'atproto'`,
      );
    const response = await page(`/admin/profiles/${profileId}/posts`).expect(200);
    expect(response.text).toContain(
      '<li data-protocol="atproto" data-state="failed"><strong>Bluesky:</strong> <span class="badge state-failed">failed</span> <span class="publication-error">PDS refused the record: &lt;InvalidRequest&gt;</span> <span>(8 attempts)</span></li>',
    );
    expect(response.text).toMatch(/<li data-protocol="activitypub" data-state="pending">/);
  });

  it('reports reactions per post and network', async () => {
    const response = await page(`/admin/profiles/${profileId}/reports`).expect(200);
    expect(response.text).toMatch(
      /<th scope="row">Measured &lt;b&gt;post&lt;\/b&gt;<\/th><td>\d{4}-\d\d-\d\d<\/td><td>13<\/td><td>25<\/td><\/tr>/,
    );
    expect(response.text).toContain('<svg role="img"');
  });

  it('serves a valid login page to anyone', async () => {
    const response = await request(hub.url).get('/admin/login').expect(200);
    expect(await htmlProblems(response.text)).toEqual([]);
  });

  it('serves the page scripts as JavaScript, and nothing else under assets', async () => {
    for (const name of ['login', 'compose', 'posts', 'inbox', 'settings']) {
      const response = await request(hub.url).get(`/admin/assets/${name}.js`).expect(200);
      expect(response.headers['content-type']).toMatch(/text\/javascript/);
      expect(() => new Function(response.text)).not.toThrow();
    }
    await request(hub.url).get('/admin/assets/constructor.js').expect(404);
    await request(hub.url).get('/admin/assets/compose.ts').expect(404);
  });

  it('shows a staff member without the role a 403 page, not the section', async () => {
    await hub.login(['analyst'], 'analyst@example.test');
    const login = await request(hub.url)
      .post('/api/auth/login')
      .send({ email: 'analyst@example.test', password: TEST_PASSWORD })
      .expect(200);
    const response = await request(hub.url)
      .get(`/admin/profiles/${profileId}/compose`)
      .set('Cookie', login.headers['set-cookie'])
      .expect(403);
    expect(response.text).toContain('Not allowed');
  });
});
