import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, watchForErrors } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { TEST_PASSWORD, startTestHerald, startWorkerWithAdapters, type TestHerald } from '../support/test-herald.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

jest.setTimeout(60_000);

/**
 * Published posts in the console, in Chromium: an editor edits one on a profile that
 * requires approval and an approver approves the edit, which then goes out; an editor
 * continues a thread. The worker publishes through recording adapters (the fediverse
 * path is tested against a real peer in test/activitypub/edit-approval.e2e-spec.ts).
 */
describe('editing published posts and continuing threads in the console', () => {
  let hub: TestHerald;
  let worker: TestHerald;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let adminToken: string;
  let councilId: string;
  let openId: string;
  const adapters = { activitypub: new RecordingAdapter('activitypub'), atproto: new RecordingAdapter('atproto') };

  const api = () => ({
    get: (path: string) => hub.http.get(path).set('Authorization', `Bearer ${adminToken}`),
    post: (path: string, body: object) => hub.http.post(path).set('Authorization', `Bearer ${adminToken}`).send(body),
  });

  async function logIn(email: string, viewport = DESKTOP): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await page.goto(`${hub.url}/admin/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/admin/login'));
    return { page, problems };
  }

  /** Published through the API by the admin, and out on both networks. */
  async function publishedPost(profileId: string, text: string): Promise<string> {
    const { body } = await api().post(`/api/profiles/${profileId}/posts`, { kind: 'note', text, status: 'published' }).expect(201);
    await eventually(async () => {
      const post = (await api().get(`/api/posts/${body.id}`).expect(200)).body as { publications: Array<{ state: string }> };
      return post.publications.every((publication) => publication.state === 'published');
    });
    return body.id as string;
  }

  const callsFor = (postId: string) =>
    [...adapters.activitypub.calls, ...adapters.atproto.calls]
      .filter((call) => call.postId === postId)
      .map((call) => [call.action, call.text]);

  beforeAll(async () => {
    hub = await startTestHerald('web-console-edits', { HERALD_ROLE: 'web' });
    worker = await startWorkerWithAdapters(hub, [adapters.activitypub, adapters.atproto]);
    adminToken = await hub.login(['admin'], 'admin@example.test');
    await hub.login(['editor'], 'editor@example.test');
    await hub.login(['approver'], 'approver@example.test');
    councilId = (
      await api()
        .post('/api/profiles', { handle: 'council', domain: 'council.example.eu', displayName: 'Council', requiresApproval: true })
        .expect(201)
    ).body.id;
    openId = (await api().post('/api/profiles', { handle: 'eu', domain: 'social.example.eu', displayName: 'Commission' }).expect(201)).body
      .id;
    browser = await launchChromium();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await worker?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('holds an editor’s edit of a published post until an approver approves it, then sends it out', async () => {
    const postId = await publishedPost(councilId, 'Summit on 12 June.');
    const editor = await logIn('editor@example.test');
    await editor.page.goto(`${hub.url}/admin/profiles/${councilId}/posts`);
    await editor.page.locator(`[data-post-id="${postId}"]`).getByRole('link', { name: 'Edit' }).click();
    await editor.page.getByRole('heading', { name: 'Edit published post' }).waitFor();
    await editor.page.getByText('your edit goes to an approver, and the published post stays as it is').waitFor();
    await expect(editor.page.getByLabel('Text', { exact: true }).inputValue()).resolves.toBe('Summit on 12 June.');
    // No time to choose: a published post's edit goes out when saved (or approved).
    await expect(editor.page.getByLabel(/^Publish at/).count()).resolves.toBe(0);
    await editor.page.getByLabel('Text', { exact: true }).fill('Summit moved to 14 June.');
    await editor.page.getByRole('button', { name: 'Submit edit for approval' }).click();
    await editor.page.waitForURL(/\/posts\?created=/);

    // The list shows the live post and, beside it, the edit awaiting approval; an editor cannot decide it.
    const row = editor.page.locator(`[data-post-id="${postId}"]`);
    const pending = row.getByRole('region', { name: 'Edit awaiting approval' });
    await expect(pending.locator('.row-text').textContent()).resolves.toBe('Summit moved to 14 June.');
    await expect(row.locator('.row-text').first().textContent()).resolves.toBe('Summit on 12 June.');
    await expect(row.getByRole('button', { name: /Approve edit|Reject edit/ }).count()).resolves.toBe(0);
    await screenshot(editor.page, 'posts-edit-awaiting-approval');
    const held = (await api().get(`/api/posts/${postId}`).expect(200)).body;
    expect(held).toMatchObject({
      text: 'Summit on 12 June.',
      pendingRevision: { state: 'pending', content: { text: 'Summit moved to 14 June.' } },
    });
    // Nothing was asked of the networks: each publication is still the first one, published.
    expect(
      held.publications.map((publication: { action: string; state: string; revision: number }) => [publication.action, publication.state]),
    ).toEqual([
      ['publish', 'published'],
      ['publish', 'published'],
    ]);

    // Editing again starts from the pending edit, which saving would replace.
    await row.getByRole('link', { name: 'Edit' }).click();
    await editor.page.getByText('An edit is already awaiting approval: the form shows it, and submitting replaces it.').waitFor();
    await expect(editor.page.getByLabel('Text', { exact: true }).inputValue()).resolves.toBe('Summit moved to 14 June.');

    // The approver sees Approve / Reject, and no editor's buttons.
    const approver = await logIn('approver@example.test', PHONE);
    await approver.page.goto(`${hub.url}/admin/profiles/${councilId}/posts`);
    const approverRow = approver.page.locator(`[data-post-id="${postId}"]`);
    await approverRow.getByRole('button', { name: 'Reject edit' }).waitFor();
    for (const name of ['Edit', 'Continue thread'])
      await expect(approverRow.getByRole('link', { name, exact: true }).count()).resolves.toBe(0);
    await screenshot(approver.page, 'posts-approve-edit-390');
    await approverRow.getByRole('button', { name: 'Approve edit' }).click();
    await approver.page.getByRole('status').filter({ hasText: 'Edit approved' }).waitFor();
    await expect(approverRow.getByRole('region', { name: 'Edit awaiting approval' }).count()).resolves.toBe(0);
    await expect(approverRow.locator('.row-text').textContent()).resolves.toBe('Summit moved to 14 June.');

    // The edit goes out through the publication path, as an update on both networks.
    await eventually(() => callsFor(postId).filter(([action]) => action === 'update').length === 2);
    for (const adapter of Object.values(adapters)) {
      expect(adapter.calls.filter((call) => call.postId === postId).map((call) => [call.action, call.text])).toEqual([
        ['publish', 'Summit on 12 June.'],
        ['update', 'Summit moved to 14 June.'],
      ]);
    }
    expect((await api().get(`/api/posts/${postId}/revisions`).expect(200)).body).toMatchObject([{ state: 'approved' }]);
    expect([...editor.problems, ...approver.problems]).toEqual([]);
  });

  it('continues a thread: the composer says which post it continues, and the new post is its next one', async () => {
    const parentId = await publishedPost(openId, 'Our Black Sea strategy, in five points. 1/');
    const editor = await logIn('editor@example.test');
    await editor.page.goto(`${hub.url}/admin/profiles/${openId}/posts`);
    await editor.page.locator(`[data-post-id="${parentId}"]`).getByRole('link', { name: 'Continue thread' }).click();
    await editor.page.getByRole('heading', { name: 'Continue thread' }).waitFor();
    await editor.page.locator('#thread-parent').getByRole('link', { name: 'Our Black Sea strategy, in five points. 1/' }).waitFor();
    await editor.page.getByLabel('Text', { exact: true }).fill('First: security. 2/');
    for (const protocol of ['activitypub', 'atproto']) {
      const card = editor.page.locator(`#preview-networks [data-protocol="${protocol}"]`);
      await card.getByText('Continues the thread after: Our Black Sea strategy, in five points. 1/').waitFor();
      await card.getByText('First: security. 2/').waitFor();
    }
    await screenshot(editor.page, 'compose-continue-thread');
    await editor.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await editor.page.waitForURL(/\/posts\?created=/);
    const childId = new URL(editor.page.url()).searchParams.get('created')!;
    expect((await api().get(`/api/posts/${childId}`).expect(200)).body).toMatchObject({ threadParentId: parentId, status: 'published' });
    await eventually(() => callsFor(childId).length === 2);
    expect(editor.problems).toEqual([]);
  });
});
