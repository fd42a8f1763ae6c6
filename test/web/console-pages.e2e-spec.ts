import vm from 'node:vm';
import { jest } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { htmlProblems } from '../support/html-validity.js';
import { TEST_PASSWORD, startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

// Transpiling every browser module on first request takes seconds on a busy machine.
jest.setTimeout(60_000);

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
    await hub.http
      .post(`/api/profiles/${profileId}/posts`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ kind: 'note', text: 'Measured <b>post</b>', status: 'published' })
      .expect(201);
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
      '<li data-protocol="atproto" data-state="failed"><strong>Bluesky:</strong> <span class="badge state-failed">failed</span> <span class="publication-error">PDS refused the record: &lt;InvalidRequest&gt;</span> <span>(8 attempts)</span> <button type="button" class="secondary" data-action="retry" data-protocol="atproto">Retry on Bluesky</button></li>',
    );
    expect(response.text).toMatch(/<li data-protocol="activitypub" data-state="pending">/);
  });

  // Figures from real traffic on both networks: test/analytics/reports.e2e-spec.ts.
  it('reports a period with its charts, tables and export links', async () => {
    const response = await page(`/admin/profiles/${profileId}/reports?from=2026-01-01&to=2026-01-31&timeZone=Europe/Brussels`).expect(200);
    expect(response.text).toContain('2026-01-01 to 2026-01-31 (Europe/Brussels)');
    expect(response.text).toMatch(/<svg\s+role="img"/);
    expect(response.text).toContain('<table class="report" id="report-followers">');
    expect(response.text).toContain(
      `/api/profiles/${profileId}/reports/export?report=posts&amp;format=csv&amp;from=2026-01-01&amp;to=2026-01-31&amp;timeZone=Europe%2FBrussels`,
    );
  });

  it('explains a bad period on the reports page', async () => {
    const response = await page(`/admin/profiles/${profileId}/reports?from=2026-01-31&to=2026-01-01`).expect(400);
    expect(response.text).toContain('to: 2026-01-01 is before from (2026-01-31)');
  });

  it.each(['/admin/staff', '/admin/account', '/admin/profiles/new'])('serves a valid %s page to a logged-in admin', async (path) => {
    const response = await page(path).expect(200);
    expect(await htmlProblems(response.text)).toEqual([]);
  });

  it('documents how to authenticate, and each documented example body works as “Try it out” sends it', async () => {
    const docs = (await request(hub.url).get('/api/docs-json').expect(200)).body;
    expect(docs.info.description).toContain('POST /api/auth/login');
    expect(docs.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      console: { type: 'apiKey', in: 'header', name: 'x-herald-console' },
    });
    const examples = (path: string, method: string) =>
      Object.values(docs.paths[path][method].requestBody.content['application/json'].examples as Record<string, { value: object }>).map(
        (example) => example.value,
      );
    // As the documentation tells: the console's cookie plus its header.
    const send = (method: 'post' | 'patch', path: string, body: object) =>
      request(hub.url)[method](path).set('Cookie', cookie).set('x-herald-console', '1').send(body);
    for (const body of examples('/api/profiles', 'post')) await send('post', '/api/profiles', body).expect(201);
    for (const body of examples('/api/profiles/{id}', 'patch')) await send('patch', `/api/profiles/${profileId}`, body).expect(200);
    for (const body of examples('/api/profiles/{profileId}/posts', 'post')) {
      const created = await send('post', `/api/profiles/${profileId}/posts`, body).expect(201);
      for (const edit of examples('/api/posts/{id}', 'patch')) {
        const edited = await send('patch', `/api/posts/${created.body.id}`, edit);
        expect({ status: edited.status, message: edited.body.message }).toEqual({ status: 200, message: undefined });
      }
    }
  });

  it('serves a valid login page to anyone', async () => {
    const response = await request(hub.url).get('/admin/login').expect(200);
    expect(await htmlProblems(response.text)).toEqual([]);
  });

  it('serves the browser modules as JavaScript, with every module they import, and nothing else under assets', async () => {
    const served = new Set<string>();
    const toFetch = ['login.js', 'session.js', 'compose.js', 'posts.js', 'inbox.js', 'settings.js', 'setup.js', 'staff.js', 'account.js'];
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
