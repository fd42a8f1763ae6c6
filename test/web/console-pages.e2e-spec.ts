import vm from 'node:vm';
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

  it.each([
    ['compose', 'compose'],
    ['posts', 'posts'],
    ['inbox', 'inbox'],
    ['reports', null],
    ['settings', 'settings'],
  ])('serves a valid, escaped %s page to a logged-in admin', async (section, script) => {
    const response = await page(`/admin/profiles/${profileId}/${section}`).expect(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    if (script) expect(response.text).toContain(`<script type="module" src="/admin/assets/${script}.js"></script>`);
    // Scripts are modules from the server; the only inline one is the page's JSON data, which does not run.
    const scripts = response.text.match(/<script[^>]*>/g) ?? [];
    expect(scripts.filter((tag) => !/ src="\/admin\/assets\/[a-z-]+\.js"/.test(tag) && !/type="application\/json"/.test(tag))).toEqual([]);
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
      /<th scope="row">Measured &lt;b&gt;post&lt;\/b&gt;<\/th>\s*<td>\d{4}-\d\d-\d\d<\/td>\s*<td>13<\/td>\s*<td>25<\/td>\s*<\/tr>/,
    );
    expect(response.text).toMatch(/<svg\s+role="img"/);
  });

  it('serves a valid login page to anyone', async () => {
    const response = await request(hub.url).get('/admin/login').expect(200);
    expect(await htmlProblems(response.text)).toEqual([]);
  });

  it('serves the browser modules as JavaScript, with every module they import, and nothing else under assets', async () => {
    const served = new Set<string>();
    const toFetch = ['login.js', 'session.js', 'compose.js', 'posts.js', 'inbox.js', 'settings.js'];
    for (let file = toFetch.pop(); file; file = toFetch.pop()) {
      if (served.has(file)) continue;
      const response = await request(hub.url).get(`/admin/assets/${file}`).expect(200);
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      await request(hub.url).get(`/admin/assets/${file}`).set('If-None-Match', response.headers.etag).expect(304);
      // Parsed as the browser will: an ES module (a syntax error throws here), whose imports are fetched next.
      const module = new vm.SourceTextModule(response.text);
      expect(module.dependencySpecifiers.every((specifier) => /^\.\/[a-z-]+\.js$/.test(specifier))).toBe(true);
      toFetch.push(...module.dependencySpecifiers.map((specifier) => specifier.slice(2)));
      served.add(file);
    }
    expect(served).toContain('console-api.js');
    for (const file of ['constructor.js', 'compose.ts', 'tsconfig.json', '..%2Fconsole-assets.js', 'console-api.js.map'])
      await request(hub.url).get(`/admin/assets/${file}`).expect(404);
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
