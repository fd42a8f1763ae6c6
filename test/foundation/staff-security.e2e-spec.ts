import { Temporal } from '@js-temporal/polyfill';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { FedifyKvRepository } from '../../src/protocols/activitypub/fedify-kv.repository.js';
import { MaintenanceProcessor } from '../../src/workers/maintenance.processor.js';
import { launchChromium } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { startTestHerald, TEST_PASSWORD, type TestHerald } from '../support/test-herald.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** The only proxy this hub trusts; 127.0.0.1, loopback too, is an ordinary client here. */
const PROXY = '127.0.0.2';
const WINDOW_SECONDS = 600;
/** Each login hashes or checks a password (argon2): a test of a dozen logins takes seconds on a busy machine. */
const LOGINS_TIMEOUT_MS = 60_000;
/** Four logins driven through Chromium took 31 s on a loaded machine. */
const BROWSER_TIMEOUT_MS = 120_000;

describe('staff security over real HTTP', () => {
  let hub: TestHerald;
  let admin: string;
  let profileId: string;

  /** A request sent from a chosen loopback address, so the hub sees a trusted proxy or a plain client. */
  const send = (
    method: string,
    path: string,
    { from = '127.0.0.1', headers = {}, body }: { from?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Answer> => {
    const url = new URL(path, hub.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        url,
        {
          method,
          localAddress: from,
          headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
          timeout: 10_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              parsed = { text };
            }
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path} timed out`)));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  };

  /** A login as a proxy in front of the hub reports it for a client at `client`. */
  const loginVia = (client: string, email: string, password: string) =>
    send('POST', '/api/auth/login', { from: PROXY, headers: { 'x-forwarded-for': client }, body: { email, password } });

  beforeAll(async () => {
    hub = await startTestHerald('staff-security', {
      TRUST_PROXY: PROXY,
      LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT: '3',
      LOGIN_FAILURES_PER_ACCOUNT: '6',
      LOGIN_FAILURES_PER_ADDRESS: '8',
      LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
    admin = await hub.login(['admin'], 'admin@example.test');
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({ handle: 'eu', domain: 'social.example.eu', displayName: 'European Commission' })
      .expect(201);
    profileId = profile.body.id;
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  describe('login limits', () => {
    it(
      'counts failures per address and e-mail, clears them on success, then answers 429 with Retry-After',
      async () => {
        await hub.login(['editor'], 'typo@example.test');
        const client = '203.0.113.1';
        for (let i = 0; i < 2; i++) expect((await loginVia(client, 'typo@example.test', `typo-${i}`)).status).toBe(401);
        expect((await loginVia(client, 'typo@example.test', TEST_PASSWORD)).status).toBe(200);
        // The success cleared the count: three more failures are answered, the next attempt is held back.
        const failures = [];
        for (let i = 0; i < 3; i++) failures.push((await loginVia(client, 'typo@example.test', `again-${i}`)).status);
        expect(failures).toEqual([401, 401, 401]);
        const refused = await loginVia(client, 'typo@example.test', TEST_PASSWORD);
        expect(refused.status).toBe(429);
        const retryAfter = Number(refused.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
        expect(refused.body).toMatchObject({ statusCode: 429, error: 'TooManyRequestsError', retryAfterSeconds: retryAfter });
        expect(refused.body.message).toMatch(/^Too many failed logins; try again in \d+ s$/);
        // The same member from another address is not held back by that count.
        expect((await loginVia('203.0.113.2', 'typo@example.test', TEST_PASSWORD)).status).toBe(200);
      },
      LOGINS_TIMEOUT_MS,
    );

    it(
      'stops one password sprayed over many e-mails from one address',
      async () => {
        const statuses = [];
        for (let i = 1; i <= 9; i++) statuses.push((await loginVia('203.0.113.10', `spray-${i}@example.test`, 'Summer2026!')).status);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
      },
      LOGINS_TIMEOUT_MS,
    );

    it(
      'stops guesses at one e-mail spread over many addresses',
      async () => {
        await hub.login(['moderator'], 'victim@example.test');
        const statuses = [];
        for (let i = 1; i <= 7; i++) statuses.push((await loginVia(`198.51.100.${i}`, 'victim@example.test', `guess-${i}`)).status);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
        // The account waits out the window whichever address asks (the price of stopping a botnet).
        expect((await loginVia('198.51.100.99', 'Victim@Example.test', TEST_PASSWORD)).status).toBe(429);
      },
      LOGINS_TIMEOUT_MS,
    );

    it(
      'counts only failures: many successful logins from one address pass',
      async () => {
        await hub.login(['analyst'], 'busy@example.test');
        const statuses = [];
        for (let i = 0; i < 12; i++) statuses.push((await loginVia('203.0.113.30', 'busy@example.test', TEST_PASSWORD)).status);
        expect(statuses.every((status) => status === 200)).toBe(true);
      },
      LOGINS_TIMEOUT_MS,
    );
  });

  describe('console login page', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    }, START_TIMEOUT_MS);

    afterAll(() => browser?.close(), CLOSE_TIMEOUT_MS);

    it(
      'shows the wait the server names after too many failures, with the button off',
      async () => {
        const page = await (await browser.newContext()).newPage();
        await page.goto(`${hub.url}/admin/login`);
        const status = page.getByRole('status');
        const button = page.getByRole('button', { name: 'Log in' });
        await page.getByLabel('E-mail').fill('browser@example.test');
        for (let attempt = 1; ; attempt++) {
          await page.getByLabel('Password').fill(`guess-${attempt}`);
          await button.click();
          // Once the answer has replaced "Logging in…".
          const answer = await eventually(async () => {
            const text = (await status.textContent()) ?? '';
            return !text.startsWith('Logging in') && text;
          });
          if (answer.startsWith('Too many')) break;
          expect(answer).toBe('Wrong e-mail or password');
          expect(attempt).toBeLessThanOrEqual(3);
        }
        expect(await status.textContent()).toMatch(/^Too many failed logins\. Try again in \d+ s\.$/);
        expect(await button.isDisabled()).toBe(true);
      },
      BROWSER_TIMEOUT_MS,
    );
  });

  describe('client address behind proxies', () => {
    it(
      'ignores X-Forwarded-For from a client that is not a trusted proxy, even on loopback',
      async () => {
        const statuses = [];
        // Each attempt claims another address; all come from 127.0.0.1, which the hub does not trust.
        for (let i = 1; i <= 4; i++) {
          const answer = await send('POST', '/api/auth/login', {
            headers: { 'x-forwarded-for': `192.0.2.${i}` },
            body: { email: 'spoof@example.test', password: `guess-${i}` },
          });
          statuses.push(answer.status);
        }
        expect(statuses).toEqual([401, 401, 401, 429]);
      },
      LOGINS_TIMEOUT_MS,
    );
  });

  describe('CSRF', () => {
    it(
      'asks a cookie-authenticated change for the console header even when another Authorization header comes along',
      async () => {
        const login = await hub.http.post('/api/auth/login').send({ email: 'admin@example.test', password: TEST_PASSWORD }).expect(200);
        const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
        // A browser resends Basic credentials for a password-protected proxy by itself, as it does cookies.
        const basic = `Basic ${Buffer.from('proxy:secret').toString('base64')}`;
        const forged = await hub.http.post('/api/auth/logout').set('Cookie', cookie).set('Authorization', basic).expect(403);
        expect(forged.body.message).toMatch(/x-herald-console/);
        await hub.http.get('/api/auth/me').set('Cookie', cookie).expect(200);
        await hub.http.post('/api/auth/logout').set('Cookie', cookie).set('Authorization', basic).set('x-herald-console', '1').expect(204);
        await hub.http.get('/api/auth/me').set('Cookie', cookie).expect(401);
      },
      LOGINS_TIMEOUT_MS,
    );

    it('needs no console header with a bearer token, which a browser never adds by itself', async () => {
      const token = await hub.login(['editor']);
      await hub.http.post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    });
  });

  describe('inbox roles', () => {
    it(
      'lets the same roles read the inbox through the API and in the console',
      async () => {
        const checks: Array<[string, number, number]> = [];
        for (const role of ['admin', 'moderator', 'analyst', 'editor', 'approver'] as const) {
          const email = `inbox-${role}@example.test`;
          await hub.login([role], email);
          const login = await hub.http.post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
          const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
          const api = await hub.http.get(`/api/profiles/${profileId}/inbox`).set('Cookie', cookie);
          const page = await hub.http.get(`/admin/profiles/${profileId}/inbox`).set('Cookie', cookie);
          checks.push([role, api.status, page.status]);
        }
        expect(checks).toEqual([
          ['admin', 200, 200],
          ['moderator', 200, 200],
          ['analyst', 200, 200],
          ['editor', 403, 403],
          ['approver', 403, 403],
        ]);
      },
      LOGINS_TIMEOUT_MS,
    );
  });

  describe('response headers', () => {
    it.each([
      ['/health/live', 200],
      ['/api/auth/me', 401],
      ['/admin/login', 200],
      ['/@eu', 200],
      ['/no/such/page', 404],
    ])('%s carries the security headers and no X-Powered-By', async (path, status) => {
      const response = await send('GET', path, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(status);
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy']).toBeDefined();
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    });
  });

  describe('remote follow', () => {
    let server: Server;
    let host: string;
    const actor = () => `${hub.config.http.publicUrl.origin}/@eu`;

    beforeAll(async () => {
      // A fediverse server's WebFinger, over loopback: `me` has a follow page, `quiet` has none, `moved` redirects.
      server = createServer((incoming, outgoing) => {
        const url = new URL(incoming.url ?? '/', `http://${host}`);
        const resource = url.searchParams.get('resource');
        if (url.pathname !== '/.well-known/webfinger') return outgoing.writeHead(404).end();
        if (resource === `acct:moved@${host}`) {
          return outgoing.writeHead(301, { location: `/.well-known/webfinger?resource=${encodeURIComponent(`acct:me@${host}`)}` }).end();
        }
        const links =
          resource === `acct:me@${host}`
            ? [{ rel: 'http://ostatus.org/schema/1.0/subscribe', template: `http://${host}/authorize_interaction?uri={uri}` }]
            : resource === `acct:quiet@${host}`
              ? [{ rel: 'self', type: 'application/activity+json', href: `http://${host}/users/quiet` }]
              : null;
        if (!links) return outgoing.writeHead(404).end();
        outgoing.writeHead(200, { 'content-type': 'application/jrd+json' }).end(JSON.stringify({ subject: resource, links }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.9', resolve));
      host = `127.0.0.9:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends the visitor to the follow page their server names in WebFinger', async () => {
      const response = await hub.http
        .get('/@eu/follow')
        .query({ account: `@me@${host}` })
        .expect(303);
      expect(response.headers.location).toBe(`http://${host}/authorize_interaction?uri=${encodeURIComponent(actor())}`);
      const moved = await hub.http
        .get('/@eu/follow')
        .query({ account: `moved@${host}` })
        .expect(303);
      expect(moved.headers.location).toBe(response.headers.location);
    });

    it('refuses, saying why, an account whose server names no follow page or does not know it', async () => {
      const quiet = await hub.http
        .get('/@eu/follow')
        .query({ account: `@quiet@${host}` })
        .expect(400);
      expect(quiet.text).toContain(`offers no way to follow remote accounts`);
      const unknown = await hub.http
        .get('/@eu/follow')
        .query({ account: `@nobody@${host}` })
        .expect(400);
      expect(unknown.text).toMatch(/does not know acct:nobody@127\.0\.0\.9:\d+ \(HTTP 404\)/);
    });

    it.each([
      'mastodon.social',
      '@me@user:pass@peer.example',
      '@me@peer.example/evil',
      '@me@peer.example?next=//evil.example',
      'https://evil.example/@me',
    ])('refuses %p without looking anything up', async (account) => {
      const response = await hub.http.get('/@eu/follow').query({ account }).expect(400);
      expect(response.text).toContain('full fediverse address');
      expect(response.headers.location).toBeUndefined();
    });
  });

  describe('Fedify key-value store', () => {
    it('hides entries past their TTL and the maintenance job deletes them', async () => {
      const kv = hub.herald.app.get(FedifyKvRepository);
      const database = hub.herald.app.get(DataSource);
      await kv.set(['security-test', 'kept'], { kept: true });
      await kv.set(['security-test', 'fresh'], { fresh: true }, { ttl: Temporal.Duration.from({ hours: 1 }) });
      await kv.set(['security-test', 'stale'], { stale: true }, { ttl: Temporal.Duration.from({ hours: 1 }) });
      await database.query(`UPDATE fedify_kv SET expires_at = now() - interval '1 second' WHERE key = $1`, [['security-test', 'stale']]);
      const rows = async () =>
        (await database.query(
          `SELECT key[2] AS name, expires_at IS NOT NULL AS expires FROM fedify_kv WHERE key[1] = 'security-test' ORDER BY 1`,
        )) as Array<{
          name: string;
          expires: boolean;
        }>;
      expect(await rows()).toEqual([
        { name: 'fresh', expires: true },
        { name: 'kept', expires: false },
        { name: 'stale', expires: true },
      ]);
      await expect(kv.get(['security-test', 'stale'])).resolves.toBeUndefined();
      await expect(kv.get(['security-test', 'fresh'])).resolves.toEqual({ fresh: true });
      await hub.herald.app.get(MaintenanceProcessor).process();
      expect((await rows()).map((row) => row.name)).toEqual(['fresh', 'kept']);
      const indexes = (await database.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'fedify_kv'`)) as Array<{
        indexdef: string;
      }>;
      expect(indexes.map((index) => index.indexdef)).toContainEqual(
        expect.stringMatching(/\(expires_at\) WHERE \(expires_at IS NOT NULL\)/),
      );
    });
  });
});
