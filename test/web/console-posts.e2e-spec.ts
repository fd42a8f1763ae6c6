import { readFile } from 'node:fs/promises';
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { InboxService } from '../../src/inbox/inbox.service.js';
import { launchChromium, screenshot, watchForErrors } from '../support/browser.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { TEST_PASSWORD, startTestHerald, startWorkerWithAdapters, type TestHerald } from '../support/test-herald.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

jest.setTimeout(90_000);

/**
 * Posts in the console, in Chromium: editing drafts and scheduled posts, the hard
 * length limit, retrying a failed publication, and buttons that match the role.
 * The web process renders previews with the real adapters; the worker publishes
 * through recording adapters, which can be told to fail.
 */
describe('posts in the console', () => {
  let hub: TestHerald;
  let worker: TestHerald;
  let browser: Browser;
  let editor: BrowserContext;
  let page: Page;
  let problems: string[];
  let profileId: string;
  let approvalProfileId: string;
  let adminToken: string;
  const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };

  async function logIn(into: Page, email: string): Promise<void> {
    await into.goto(`${hub.url}/admin/login`);
    await into.getByLabel('E-mail').fill(email);
    await into.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await into.getByRole('button', { name: 'Log in' }).click();
    await into.waitForURL((url) => !url.pathname.startsWith('/admin/login'));
  }

  const api = () => ({
    get: (path: string) => hub.http.get(path).set('Authorization', `Bearer ${adminToken}`),
    post: (path: string, body: object) => hub.http.post(path).set('Authorization', `Bearer ${adminToken}`).send(body),
  });

  async function overflow(into: Page): Promise<number> {
    return into.locator('html').evaluate((root: { scrollWidth: number; clientWidth: number }) => root.scrollWidth - root.clientWidth);
  }

  beforeAll(async () => {
    hub = await startTestHerald('web-console-posts', { HERALD_ROLE: 'web' });
    worker = await startWorkerWithAdapters(hub, [adapters.activitypub, adapters.atproto]);
    adminToken = await hub.login(['admin'], 'admin@example.test');
    await hub.login(['editor'], 'editor@example.test');
    await hub.login(['analyst'], 'analyst@example.test');
    profileId = (
      await api().post('/api/profiles', { handle: 'eu', domain: 'social.example.eu', displayName: 'European Commission' }).expect(201)
    ).body.id;
    approvalProfileId = (
      await api()
        .post('/api/profiles', { handle: 'council', domain: 'council.example.eu', displayName: 'Council', requiresApproval: true })
        .expect(201)
    ).body.id;
    browser = await launchChromium();
    editor = await browser.newContext({ viewport: DESKTOP });
    page = await editor.newPage();
    problems = watchForErrors(page);
    await logIn(page, 'editor@example.test');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('previews the content warning and the images, and edits a draft', async () => {
    await page.goto(`${hub.url}/admin/profiles/${profileId}/compose`);
    await page.getByLabel('Text', { exact: true }).fill('Draft about the budget.');
    await page.getByLabel('Content warning (optional)').fill('Numbers ahead');
    const image = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#003399' } })
      .png()
      .toBuffer();
    await page.getByLabel('Image', { exact: true }).setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: image });
    await page.getByLabel('Alt text (describe the image)').fill('A bar chart of the budget');
    await page.getByRole('button', { name: 'Upload and attach' }).click();
    const fediverse = page.locator('#preview-networks [data-protocol="activitypub"]');
    const bluesky = page.locator('#preview-networks [data-protocol="atproto"]');
    for (const network of [fediverse, bluesky]) {
      await network.getByText('Content warning: Numbers ahead').waitFor();
      await network.getByRole('img', { name: 'A bar chart of the budget' }).waitFor();
    }
    await screenshot(page, 'compose-preview');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'compose-390');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/posts\?created=/);
    const postId = new URL(page.url()).searchParams.get('created')!;

    const row = page.locator(`[data-post-id="${postId}"]`);
    await row.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit post' }).waitFor();
    await expect(page.getByLabel('Text', { exact: true }).inputValue()).resolves.toBe('Draft about the budget.');
    await page.getByRole('list', { name: 'Attached images' }).getByRole('img', { name: 'A bar chart of the budget' }).waitFor();
    await page.getByLabel('Text', { exact: true }).fill('The 2027 budget, explained.');
    await page.getByLabel('Content warning (optional)').fill('');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/posts\?created=/);
    await expect(row.locator('.row-text').textContent()).resolves.toBe('The 2027 budget, explained.');
    const saved = (await api().get(`/api/posts/${postId}`).expect(200)).body;
    expect(saved).toMatchObject({ status: 'draft', text: 'The 2027 budget, explained.', contentWarning: null });
    expect(saved.attachments).toEqual([{ mediaId: expect.any(String), altText: 'A bar chart of the budget' }]);
    expect(problems).toEqual([]);
  });

  it('schedules a draft from its editor, then reschedules it', async () => {
    const created = await api().post(`/api/profiles/${profileId}/posts`, { kind: 'note', text: 'Press conference at noon.' }).expect(201);
    await page.goto(`${hub.url}/admin/posts/${created.body.id}/edit`);
    await page.getByLabel(/^Publish at/).fill('2031-05-09T10:00');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForURL(/\/posts\?created=/);
    const row = page.locator(`[data-post-id="${created.body.id}"]`);
    await expect(row.locator('.badge').first().textContent()).resolves.toBe('Scheduled');
    const first = (await api().get(`/api/posts/${created.body.id}`).expect(200)).body.scheduledAt as string;

    await row.getByRole('link', { name: 'Edit' }).click();
    await page.getByText('Scheduled: change the time below to reschedule it.').waitFor();
    await expect(page.getByLabel('Publish at').inputValue()).resolves.toBe('2031-05-09T10:00');
    await page.getByLabel('Publish at').fill('2031-05-10T09:30');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/posts\?created=/);
    const rescheduled = (await api().get(`/api/posts/${created.body.id}`).expect(200)).body;
    expect(rescheduled.status).toBe('scheduled');
    // The browser's own time zone decides the instant: 23 hours 30 minutes later than before.
    expect(new Date(rescheduled.scheduledAt).getTime() - new Date(first).getTime()).toBe((23 * 60 + 30) * 60_000);
    expect(problems).toEqual([]);
  });

  it('refuses a note over the hard limit at once, with a clear message, in the composer and the API', async () => {
    await page.goto(`${hub.url}/admin/profiles/${profileId}/compose`);
    const text = 'All work and no play. '.repeat(4_545); // 99,990 characters
    await page.getByLabel('Text', { exact: true }).fill(text);
    await page.getByText('99,990 / 5,000 characters: too long to publish; shorten it, or make it an article').waitFor();
    await page.getByText('No preview: the text is longer than a post may be.').waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'too long to publish' }).waitFor();
    const started = Date.now();
    const refused = await api().post(`/api/profiles/${profileId}/posts`, { kind: 'note', text, status: 'published' }).expect(400);
    expect(refused.body.message).toBe(
      'text: a note has at most 5,000 characters and this one has 99,990; shorten it, or make it an article',
    );
    await api().post(`/api/profiles/${profileId}/preview`, { kind: 'note', text }).expect(400);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The same length is fine as an article, which goes out as one post with a link card on Bluesky.
    await page.getByLabel('Article').check();
    await page.getByLabel('Title').fill('A long read');
    await page.locator('#preview-networks [data-protocol="atproto"]').getByText('Bluesky: one post').waitFor();
    await expect(page.locator('#preview-networks').textContent()).resolves.not.toContain('00000000-0000-0000-0000-000000000000');
    expect(problems).toEqual([]);
  });

  it('retries a failed publication from the post list', async () => {
    adapters.atproto.failures.push('permanent');
    const created = await api()
      .post(`/api/profiles/${profileId}/posts`, { kind: 'note', text: 'Refused once by Bluesky.', status: 'published' })
      .expect(201);
    await page.goto(`${hub.url}/admin/profiles/${profileId}/posts`);
    const row = page.locator(`[data-post-id="${created.body.id}"]`);
    const bluesky = row.locator('[data-protocol="atproto"][data-state="failed"]');
    await bluesky.waitFor({ timeout: 30_000 });
    await expect(bluesky.textContent()).resolves.toContain('refused: permanent failure on publish');
    await row.locator('[data-protocol="activitypub"][data-state="published"]').waitFor();
    await screenshot(page, 'posts-failed');
    await bluesky.getByRole('button', { name: 'Retry on Bluesky' }).click();
    await row.locator('[data-protocol="atproto"][data-state="published"]').waitFor({ timeout: 30_000 });
    expect(adapters.atproto.calls.filter((call) => call.postId === created.body.id).map((call) => call.action)).toEqual(['publish']);
    // Nothing left to retry: the API says so.
    const again = await api().post(`/api/posts/${created.body.id}/retry`, {}).expect(409);
    expect(again.body.message).toContain('Nothing to retry');
    expect(problems).toEqual([]);
  });

  it('lets a moderator assign, label, note and bulk-triage the inbox', async () => {
    await hub.login(['moderator'], 'moderator@example.test');
    const inbox = hub.herald.app.get(InboxService);
    const received = [];
    for (const [index, name] of ['Alice', 'Bob', 'Carol'].entries()) {
      received.push(
        (await inbox.receive({
          profileId,
          protocol: 'atproto',
          kind: 'reply',
          remoteId: `at://did:plc:${name.toLowerCase()}/app.bsky.feed.post/${index}`,
          author: { id: `did:plc:${name.toLowerCase()}`, handle: `${name.toLowerCase()}.example`, name },
          text: `Question ${index + 1} from ${name}`,
        }))!,
      );
    }
    const context = await browser.newContext({ viewport: DESKTOP });
    const moderator = await context.newPage();
    const moderatorProblems = watchForErrors(moderator);
    await logIn(moderator, 'moderator@example.test');
    await moderator.goto(`${hub.url}/admin/profiles/${profileId}/inbox`);
    const alice = moderator.locator(`[data-interaction-id="${received[0].id}"]`);
    await alice.getByLabel('Assignee').selectOption({ label: 'moderator' });
    await alice.getByLabel('Labels (comma separated)').fill('budget, press');
    await alice.getByRole('button', { name: 'Save' }).click();
    await alice.getByText('Assigned to moderator').waitFor();
    await moderator
      .locator(`[data-interaction-id="${received[0].id}"]`)
      .getByLabel('Internal note (staff only)')
      .fill('Ask the budget unit before answering.');
    await moderator.locator(`[data-interaction-id="${received[0].id}"]`).getByRole('button', { name: 'Add note' }).click();
    await moderator
      .locator(`[data-interaction-id="${received[0].id}"]`)
      .getByRole('list', { name: 'Internal notes' })
      .getByText('Ask the budget unit before answering.')
      .waitFor();
    const detail = (await api().get(`/api/inbox/${received[0].id}`).expect(200)).body;
    expect(detail).toMatchObject({ labels: ['budget', 'press'], notes: [{ text: 'Ask the budget unit before answering.' }] });
    expect(detail.assigneeId).toEqual(expect.any(String));

    // Bob and Carol at once: resolved.
    for (const item of received.slice(1)) await moderator.locator(`[data-interaction-id="${item.id}"] input.select`).check();
    await moderator.getByText('2 selected').waitFor();
    await moderator.getByLabel('With the selected', { exact: true }).selectOption('state');
    await moderator.locator('#bulk-state').selectOption('resolved');
    await moderator.getByRole('button', { name: 'Apply' }).click();
    await moderator.getByRole('status').filter({ hasText: 'Done for 2 interactions.' }).waitFor();
    for (const item of received.slice(1))
      await expect(api().get(`/api/inbox/${item.id}`).expect(200)).resolves.toMatchObject({ body: { state: 'resolved' } });
    // And a label on all three.
    for (const item of received) await moderator.locator(`[data-interaction-id="${item.id}"] input.select`).check();
    await moderator.getByLabel('With the selected', { exact: true }).selectOption('label');
    await moderator.getByLabel('Label', { exact: true }).fill('week 47');
    await moderator.getByRole('button', { name: 'Apply' }).click();
    await moderator.getByRole('status').filter({ hasText: 'Done for 3 interactions.' }).waitFor();
    await screenshot(moderator, 'inbox-triage');
    for (const item of received) expect((await api().get(`/api/inbox/${item.id}`).expect(200)).body.labels).toContain('week 47');
    await moderator.setViewportSize(PHONE);
    await screenshot(moderator, 'inbox-triage-390');
    expect(await overflow(moderator)).toBeLessThanOrEqual(0);
    expect(moderatorProblems).toEqual([]);
    await context.close();
  });

  it('shows nobody a button their role cannot use', async () => {
    // An editor on a profile that requires approval: submit, never publish.
    await page.goto(`${hub.url}/admin/profiles/${approvalProfileId}/compose`);
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor();
    await expect(page.getByRole('button', { name: 'Publish', exact: true }).count()).resolves.toBe(0);
    await api().post(`/api/profiles/${approvalProfileId}/posts`, { kind: 'note', text: 'A draft needing approval.' }).expect(201);
    await page.goto(`${hub.url}/admin/profiles/${approvalProfileId}/posts`);
    await page.getByRole('link', { name: 'Edit' }).first().waitFor();
    await expect(page.getByRole('button', { name: 'Publish now' }).count()).resolves.toBe(0);

    // An analyst reads: no New post, no Compose, no Edit, no Delete.
    const analyst = await browser.newContext({ viewport: PHONE });
    const analystPage = await analyst.newPage();
    const analystProblems = watchForErrors(analystPage);
    await logIn(analystPage, 'analyst@example.test');
    await analystPage.goto(`${hub.url}/admin/profiles/${profileId}/posts`);
    await analystPage.locator('[data-post-id]').first().waitFor();
    for (const name of ['New post', 'Compose', 'Edit'])
      await expect(analystPage.getByRole('link', { name, exact: true }).count()).resolves.toBe(0);
    for (const name of ['Delete', 'Publish now', 'Submit for approval'])
      await expect(analystPage.getByRole('button', { name }).count()).resolves.toBe(0);
    await analystPage.goto(`${hub.url}/admin/profiles/${profileId}/reports`);
    await screenshot(analystPage, 'reports-390');
    expect(await overflow(analystPage)).toBeLessThanOrEqual(0);
    // The chart's labels stay readable on the phone: at least 12 px high.
    const label = await analystPage.locator('.chart text').first().boundingBox();
    expect(label!.height).toBeGreaterThanOrEqual(12);
    // The export links fit the phone and download with the console's session.
    const csvLink = analystPage.getByRole('region', { name: 'Export this period' }).getByRole('link', { name: 'CSV' }).first();
    const box = await csvLink.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    const [download] = await Promise.all([analystPage.waitForEvent('download'), csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^eu-posts-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved.split('\n')[0]).toBe('post_id,published_at,published_date,network,likes,reposts,replies,quotes,reactions,total,label');
    // "Did it land?" of a published post fits the phone too.
    await analystPage.goto(`${hub.url}/admin/profiles/${profileId}/posts`);
    await analystPage.getByRole('link', { name: 'Did it land?' }).first().click();
    await analystPage.getByRole('heading', { name: 'Did it land?' }).waitFor();
    await screenshot(analystPage, 'delivery-390');
    expect(await overflow(analystPage)).toBeLessThanOrEqual(0);
    expect(analystProblems).toEqual([]);
    await analyst.close();
  });
});
