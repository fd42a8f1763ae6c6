import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { ProtocolAdapterRegistry } from '../../src/publishing/protocol-adapters.registry.js';
import { QUEUES } from '../../src/queue/queues.js';
import { BlueskyNetwork } from '../support/bluesky-network.js';
import { launchChromium, screenshot, watchForErrors } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { TEST_PASSWORD, startFederatedTestHerald, type TestHerald } from '../support/test-herald.js';

const LONG_TEXT = [
  'Time to choose a healthier lifestyle.',
  'Every year, 700,000 people in the EU lose their lives because of tobacco consumption. It is the leading cause of preventable cancer in Europe.',
  'Here is what we are doing in the EU to promote healthier lifestyles: creating smoke-free environments; regulating packaging, labelling and ingredients of tobacco products; restricting advertising; investing €96 m in research and addiction prevention.',
  'Our goal: a tobacco-free generation by 2040! Say yes to health. Say no to tobacco. #health',
].join('\n\n');

const DOMAIN = 'ec.social.example.eu';

/**
 * The console end to end in Chromium, with the real protocol adapters (the
 * preview split comes from the AT adapter), publishing into dev-env's real
 * Bluesky network, and the inbox API.
 */
jest.setTimeout(180_000);

describe('the staff console in a real browser', () => {
  let network: BlueskyNetwork;
  let hub: TestHerald;
  let browser: Browser;
  let profileId: string;

  async function logIn(page: Page, email: string): Promise<void> {
    await page.goto(`${hub.url}/admin`);
    await page.waitForURL(/\/admin\/login\?next=/);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(new RegExp(`/admin/profiles/${profileId}/posts`));
  }

  beforeAll(async () => {
    network = await BlueskyNetwork.start('console');
    hub = await startFederatedTestHerald('web-console', 'localhost', network.heraldEnv());
    network.index({ url: hub.url, domains: [DOMAIN] });
    browser = await launchChromium();
    const admin = await hub.login(['admin']);
    await hub.login(['editor'], 'editor@example.test');
    await hub.login(['moderator'], 'moderator@example.test');
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        handle: 'eu',
        domain: DOMAIN,
        displayName: 'European Commission',
        managedBy: 'the European Union',
      })
      .expect(201);
    profileId = profile.body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await network?.close();
    await hub?.close();
  });

  it('lets an editor compose with the per-network preview, publish, and see both publications succeed', async () => {
    const registry = hub.herald.app.get(ProtocolAdapterRegistry);
    expect(
      registry
        .all()
        .map((adapter) => adapter.protocol)
        .sort(),
    ).toEqual(['activitypub', 'atproto']);
    const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await logIn(page, 'editor@example.test');
    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Text', { exact: true }).fill(LONG_TEXT);

    const bluesky = page.locator('#preview-networks [data-protocol="atproto"]');
    const fediverse = page.locator('#preview-networks [data-protocol="activitypub"]');
    await bluesky.locator('li.part').nth(1).waitFor();
    const counts = await bluesky.locator('.count').allTextContents();
    expect(counts.length).toBeGreaterThan(1);
    for (const count of counts) {
      const [, graphemes, limit] = /^(\d+) \/ (\d+) characters/.exec(count) ?? [];
      expect(Number(graphemes)).toBeGreaterThan(0);
      expect(Number(graphemes)).toBeLessThanOrEqual(Number(limit));
    }
    await expect(fediverse.locator('li.part').count()).resolves.toBe(1);
    await expect(fediverse.textContent()).resolves.toContain('a tobacco-free generation by 2040');

    const image = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#c0392b' } })
      .png()
      .toBuffer();
    await page.getByLabel('Image', { exact: true }).setInputFiles({ name: 'no-smoking.png', mimeType: 'image/png', buffer: image });
    await page.getByRole('button', { name: 'Upload and attach' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/alt text/);
    await page.getByLabel('Alt text (describe the image)').fill('A crossed-out cigarette');
    await page.getByRole('button', { name: 'Upload and attach' }).click();
    await page.getByRole('list', { name: 'Attached images' }).getByRole('img', { name: 'A crossed-out cigarette' }).waitFor();
    await screenshot(page, 'composer');

    // What the browser receives over its event streams, and when it fetches a post's row (Chromium's own clock for both).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const streamed: Array<{ timestamp: number; eventName: string; data: string }> = [];
    const rowFetches: number[] = [];
    cdp.on('Network.eventSourceMessageReceived', (message) => streamed.push(message));
    cdp.on('Network.requestWillBeSent', (sent) => {
      if (/\/admin\/posts\/[^/]+\/row$/.test(sent.request.url)) rowFetches.push(sent.timestamp);
    });
    // Nothing goes out until the post list shows the post pending and its stream is live.
    const publicationJobs = hub.herald.app.get<Queue>(getQueueToken(QUEUES.publications));
    await publicationJobs.pause();
    let postId: string;
    try {
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.waitForURL(/\/posts\?created=/);
      postId = new URL(page.url()).searchParams.get('created')!;
      const pendingRow = page.locator(`[data-post-id="${postId}"]`);
      await pendingRow.locator('[data-protocol="activitypub"][data-state="pending"]').waitFor();
      await pendingRow.locator('[data-protocol="atproto"][data-state="pending"]').waitFor();
      await page.locator('#live-state[data-live="open"]').waitFor();
    } finally {
      await publicationJobs.resume();
    }
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const row = page.locator(`[data-post-id="${postId}"]`);
    await row.locator('[data-protocol="activitypub"][data-state="published"]').waitFor({ timeout: 60_000 });
    await row.locator('[data-protocol="atproto"][data-state="published"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'posts');
    // The states came over the publication stream, without a reload, and each refresh of the row followed an event about it.
    expect(navigations).toBe(0);
    const events = streamed
      .filter((message) => message.eventName === 'publication.updated')
      .map((message) => ({
        timestamp: message.timestamp,
        ...(JSON.parse(message.data) as { postId: string; protocol: string; state: string }),
      }))
      .filter((event) => event.postId === postId);
    expect(
      events
        .filter((event) => event.state === 'published')
        .map((event) => event.protocol)
        .sort(),
    ).toEqual(['activitypub', 'atproto']);
    expect(rowFetches.length).toBeGreaterThan(0);
    expect(rowFetches.length).toBeLessThanOrEqual(events.length);
    rowFetches.forEach((fetchedAt, index) => expect(events[index].timestamp).toBeLessThanOrEqual(fetchedAt));
    // Published means on Bluesky: the thread's first post is in the AppView, with the image.
    const posts = await hub.http
      .get(`/api/posts/${postId}`)
      .set('Cookie', (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; '))
      .expect(200);
    const uri = posts.body.publications.find((publication: { protocol: string }) => publication.protocol === 'atproto').remoteId as string;
    const view = await eventually(async () => {
      await network.settle();
      return (await network.appView.app.bsky.feed.getPosts({ uris: [uri] })).data.posts[0] ?? null;
    }, 60_000);
    expect((view.record as { text: string }).text).toContain('Time to choose a healthier lifestyle.');
    expect(view.embed).toMatchObject({ images: [{ alt: 'A crossed-out cigarette' }] });
    expect(problems).toEqual([]);

    // The public page shows the post.
    await page.goto(`${hub.url}/@eu`);
    await expect(page.locator('main article').first().textContent()).resolves.toContain('Time to choose a healthier lifestyle.');
    await expect(page.locator('main article').first().getByRole('img', { name: 'A crossed-out cigarette' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('lets a moderator see an interaction arrive live and answer it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await logIn(page, 'moderator@example.test');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByText('Live: new interactions appear here').waitFor();
    // As a protocol adapter would hand it over when a reply arrives.
    const received = await hub.herald.app.get(InboxService).receive({
      profileId,
      protocol: 'activitypub',
      kind: 'reply',
      remoteId: 'https://remote.example/notes/1',
      author: {
        id: 'https://remote.example/users/alice',
        handle: '@alice@remote.example',
        name: 'Alice',
        url: 'https://remote.example/@alice',
        domain: 'remote.example',
      },
      html: '<p>When does the plan start? <script>alert(1)</script></p>',
      url: 'https://remote.example/@alice/1',
    });
    const item = page.locator(`[data-interaction-id="${received!.id}"]`);
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('When does the plan start?');
    await screenshot(page, 'inbox');
    await item.getByLabel('Answer on Fediverse').fill('It starts in January. Thank you for asking!');
    await item.getByRole('button', { name: 'Send answer' }).click();
    await page.locator(`[data-interaction-id="${received!.id}"][data-state="answered"]`).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an editor submit a post for approval and an approver approve it', async () => {
    await hub.login(['approver'], 'approver@example.test');
    const editor = await browser.newContext();
    const editorPage = await editor.newPage();
    await logIn(editorPage, 'editor@example.test');
    await editorPage.getByRole('link', { name: 'Compose' }).click();
    await editorPage.getByLabel('Article').check();
    await editorPage.getByLabel('Title').fill('New EU strategy for the Black Sea region');
    await editorPage.getByLabel('Text', { exact: true }).fill('Secure, prosperous and resilient.');
    await editorPage.getByRole('button', { name: 'Submit for approval' }).click();
    await editorPage.waitForURL(/\/posts\?created=/);
    const postId = new URL(editorPage.url()).searchParams.get('created')!;
    await expect(editorPage.locator(`[data-post-id="${postId}"] .badge`).first().textContent()).resolves.toBe('Waiting for approval');
    await editor.close();

    const approver = await browser.newContext();
    const page = await approver.newPage();
    const problems = watchForErrors(page);
    await logIn(page, 'approver@example.test');
    const row = page.locator(`[data-post-id="${postId}"]`);
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.locator(`[data-post-id="${postId}"] .badge`).first().filter({ hasText: 'Published' }).waitFor();
    expect(problems).toEqual([]);
    await approver.close();
  });

  it('lets an editor schedule a post for later', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await logIn(page, 'editor@example.test');
    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Text', { exact: true }).fill('Tomorrow: the State of the Union.');
    const tomorrow = new Date(Date.now() + 24 * 3_600_000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel(/Publish at/).fill(local);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/posts\?created=/);
    const postId = new URL(page.url()).searchParams.get('created')!;
    await expect(page.locator(`[data-post-id="${postId}"] .badge`).first().textContent()).resolves.toBe('Scheduled');
    const post = await request(hub.url)
      .get(`/api/posts/${postId}`)
      .set('Cookie', (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; '))
      .expect(200);
    expect(Math.abs(new Date(post.body.scheduledAt).getTime() - tomorrow.getTime())).toBeLessThan(60_000);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an admin change the profile settings, and the public page shows them', async () => {
    await hub.login(['admin'], 'admin@example.test');
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await logIn(page, 'admin@example.test');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Organisation type').fill('Governmental organisation');
    await page.getByLabel(/Managed by/).fill('the European Union and its citizens');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await page.goto(`${hub.url}/@eu`);
    await expect(page.getByRole('complementary').textContent()).resolves.toContain(
      'This instance managed by the European Union and its citizens',
    );
    await page.goBack();
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Networks compared' }).waitFor();
    await screenshot(page, 'reports');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a visitor without a session to the login page', async () => {
    const response = await request(hub.url).get(`/admin/profiles/${profileId}/compose`).expect(303);
    expect(response.headers.location).toBe(`/admin/login?next=${encodeURIComponent(`/admin/profiles/${profileId}/compose`)}`);
  });

  it('refuses a cookie-authenticated change without the console header (CSRF), and stores nothing', async () => {
    const login = await request(hub.url)
      .post('/api/auth/login')
      .send({ email: 'editor@example.test', password: TEST_PASSWORD })
      .expect(200);
    const cookie = login.headers['set-cookie'];
    const forged = await request(hub.url)
      .post(`/api/profiles/${profileId}/posts`)
      .set('Cookie', cookie)
      .type('form')
      .send({ kind: 'note', text: 'forged', status: 'published' });
    expect(forged.status).toBe(403);
    const list = await request(hub.url).get(`/api/profiles/${profileId}/posts`).set('Cookie', cookie).expect(200);
    expect(list.body.items.map((post: { text: string }) => post.text)).not.toContain('forged');
    await request(hub.url)
      .post(`/api/profiles/${profileId}/preview`)
      .set('Cookie', cookie)
      .set('x-herald-console', '1')
      .send({ kind: 'note', text: 'ok' })
      .expect(200);
  });
});
