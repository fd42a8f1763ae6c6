import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { StaffService } from '../../src/auth/staff.service.js';
import { launchChromium, screenshot, watchForErrors } from '../support/browser.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { TEST_PASSWORD, startTestHerald, type TestHerald } from '../support/test-herald.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * A new hub from the first login on, in Chromium: the first profile is set up in
 * the console, staff are managed there, everyone changes their own password.
 */
jest.setTimeout(90_000);

describe('the console from the first login on', () => {
  let hub: TestHerald;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let problems: string[];
  let profileId: string;

  async function logIn(into: Page, email: string, password = TEST_PASSWORD): Promise<void> {
    await into.goto(`${hub.url}/admin/login`);
    await into.getByLabel('E-mail').fill(email);
    await into.getByLabel('Password', { exact: true }).fill(password);
    await into.getByRole('button', { name: 'Log in' }).click();
    await into.waitForURL((url) => !url.pathname.startsWith('/admin/login'));
  }

  /** The page fits the phone's width: nothing sticks out to the right. */
  async function fitsWidth(into: Page): Promise<void> {
    const overflow = await into
      .locator('html')
      .evaluate((root: { scrollWidth: number; clientWidth: number }) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  beforeAll(async () => {
    hub = await startTestHerald('web-first-run', { HERALD_ROLE: 'web', MEDIA_MAX_BYTES: String(1024 * 1024) });
    await hub.herald.app
      .get(StaffService)
      .create({ email: 'admin@example.test', displayName: 'Ada Admin', password: TEST_PASSWORD, roles: ['admin'] }, null);
    browser = await launchChromium();
    admin = await browser.newContext({ viewport: DESKTOP });
    page = await admin.newPage();
    problems = watchForErrors(page);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('has an admin with no profile set one up, with images and alt text, and land in Compose', async () => {
    await logIn(page, 'admin@example.test');
    await page.getByRole('heading', { name: 'Set up your first profile' }).waitFor();
    await screenshot(page, 'first-run-setup');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'first-run-setup-390');
    await fitsWidth(page);
    await page.setViewportSize(DESKTOP);

    await page.getByLabel('Name', { exact: true }).fill('European Commission');
    await page.getByLabel('Fediverse handle').fill('eu');
    await page.getByLabel('Domain').fill('social.example.eu');
    await page.getByLabel('Bio').fill("Europe's Commission: news & decisions.");
    const image = (color: string, width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: color } })
        .png()
        .toBuffer();
    await page
      .getByLabel('Avatar image')
      .setInputFiles({ name: 'avatar.png', mimeType: 'image/png', buffer: await image('#003399', 200, 200) });
    await page
      .getByLabel('Banner image')
      .setInputFiles({ name: 'banner.png', mimeType: 'image/png', buffer: await image('#ffcc00', 600, 200) });
    await page.getByLabel('Banner alt text (describe the image)').fill('Yellow stars on blue');
    // An image without alt text is refused before anything is created.
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Describe the avatar image' }).waitFor();
    await expect(hub.http.get('/api/profiles').set('Authorization', `Bearer ${await hub.login(['analyst'])}`)).resolves.toMatchObject({
      body: [],
    });
    await page.getByLabel('Avatar alt text (describe the image)').fill('The EU flag');
    await page.getByLabel('Organisation type').fill('Governmental organisation');
    await page.getByLabel('Website').fill('https://commission.europa.eu');
    await page.getByLabel('Managed by').fill('the European Union');
    await page.getByLabel('Bluesky').uncheck();
    await page.getByLabel('Posts need an approver before they go out').check();
    await page.getByRole('button', { name: 'Create profile' }).click();

    await page.waitForURL(/\/admin\/profiles\/[0-9a-f-]+\/compose\?welcome=1$/);
    profileId = /profiles\/([0-9a-f-]+)\//.exec(page.url())![1];
    await page.getByText('Profile @eu is set up.').waitFor();
    const token = await hub.login(['analyst']);
    const profile = (await hub.http.get(`/api/profiles/${profileId}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(profile).toMatchObject({
      handle: 'eu',
      domain: 'social.example.eu',
      displayName: 'European Commission',
      bio: "Europe's Commission: news & decisions.",
      organisationType: 'Governmental organisation',
      website: 'https://commission.europa.eu',
      managedBy: 'the European Union',
      protocols: ['activitypub'],
      requiresApproval: true,
    });
    expect(profile.avatarMediaId).toEqual(expect.any(String));
    expect(profile.bannerMediaId).toEqual(expect.any(String));
    // Each image keeps its description.
    const described = await hub.herald.app
      .get(DataSource)
      .query(`SELECT id, alt_text FROM media WHERE id = ANY($1::uuid[])`, [[profile.avatarMediaId, profile.bannerMediaId]]);
    expect(Object.fromEntries(described.map((media: { id: string; alt_text: string }) => [media.id, media.alt_text]))).toEqual({
      [profile.avatarMediaId]: 'The EU flag',
      [profile.bannerMediaId]: 'Yellow stars on blue',
    });
    expect(problems).toEqual([]);
  });

  it('lets the admin add, edit, re-role and disable staff in the console', async () => {
    await page.getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();
    const newStaff = page.getByRole('form', { name: 'Add a staff member' });
    await newStaff.getByLabel('E-mail').fill('eddie@example.test');
    await newStaff.getByLabel('Name', { exact: true }).fill('Eddie Editor');
    await newStaff.getByLabel(/^First password/).fill('eddies first password');
    await newStaff.getByRole('button', { name: 'Add staff member' }).click();
    const row = page.locator('[data-staff-id]').filter({ hasText: 'eddie@example.test' });
    await row.waitFor();
    await screenshot(page, 'staff');

    // Eddie logs in with the first password.
    const eddie = await browser.newContext({ viewport: PHONE });
    const eddiePage = await eddie.newPage();
    const eddieProblems = watchForErrors(eddiePage);
    await logIn(eddiePage, 'eddie@example.test', 'eddies first password');
    await eddiePage.waitForURL(new RegExp(`/admin/profiles/${profileId}/posts`));

    // The admin renames him and makes him an analyst instead of an editor.
    await row.getByLabel('Name').fill('Edward Analyst');
    await row.getByRole('checkbox', { name: /^Editor:/ }).uncheck();
    await row.getByRole('checkbox', { name: /^Analyst:/ }).check();
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved Edward Analyst.' }).waitFor();
    const staff = await hub.herald.app.get(StaffService).list();
    expect(staff.find((account) => account.email === 'eddie@example.test')).toMatchObject({
      displayName: 'Edward Analyst',
      roles: ['analyst'],
      disabled: false,
    });
    // He now sees Reports, not Compose.
    await eddiePage.reload();
    await eddiePage.getByRole('link', { name: 'Reports' }).waitFor();
    await expect(eddiePage.getByRole('link', { name: 'Compose' }).count()).resolves.toBe(0);
    await expect(eddiePage.getByRole('link', { name: 'New post' }).count()).resolves.toBe(0);

    // Disabled: his session ends at once.
    await page.locator('[data-staff-id]').filter({ hasText: 'eddie@example.test' }).getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('status').filter({ hasText: 'Disabled' }).waitFor();
    await eddiePage.reload();
    await eddiePage.waitForURL(/\/admin\/login/);
    expect(eddieProblems).toEqual([]);
    await eddie.close();

    // The last admin cannot disable themselves.
    const me = page.locator('[data-staff-id]').filter({ hasText: 'admin@example.test' });
    await me.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('status').filter({ hasText: 'The last active admin' }).waitFor();
    // The refusal (409) is the only error the page saw.
    expect(problems.filter((problem) => !/\b409\b/.test(problem))).toEqual([]);
    problems.length = 0;
  });

  it('lets staff change their own password, given the current one, which ends every session', async () => {
    await hub.herald.app
      .get(StaffService)
      .create({ email: 'mo@example.test', displayName: 'Mo Moderator', password: TEST_PASSWORD, roles: ['moderator'] }, null);
    const elsewhere = await request(hub.url)
      .post('/api/auth/login')
      .send({ email: 'mo@example.test', password: TEST_PASSWORD })
      .expect(200);
    const context = await browser.newContext({ viewport: DESKTOP });
    const mo = await context.newPage();
    const moProblems = watchForErrors(mo);
    await logIn(mo, 'mo@example.test');
    await mo.getByRole('link', { name: 'Mo Moderator' }).click();
    await mo.getByRole('heading', { name: 'My account' }).waitFor();
    await mo.getByLabel('Current password').fill('not my password at all');
    await mo.getByLabel('New password (at least 12 characters)').fill('a new long password');
    await mo.getByLabel('New password again').fill('a new long password');
    await mo.getByRole('button', { name: 'Change password' }).click();
    await mo.getByRole('status').filter({ hasText: 'this is not your current password' }).waitFor();
    await mo.getByLabel('Current password').fill(TEST_PASSWORD);
    await mo.getByRole('button', { name: 'Change password' }).click();
    await mo.waitForURL(/\/admin\/login\?changed=1/);
    await mo.getByText('Your password was changed').waitFor();
    // The session on another device has ended too; the new password works, the old one not.
    await request(hub.url).get('/api/auth/me').set('Authorization', `Bearer ${elsewhere.body.token}`).expect(401);
    await request(hub.url).post('/api/auth/login').send({ email: 'mo@example.test', password: TEST_PASSWORD }).expect(401);
    await logIn(mo, 'mo@example.test', 'a new long password');
    await mo.getByRole('link', { name: 'Inbox' }).waitFor();
    // The wrong current password (400) is the only error the page saw.
    expect(moProblems.filter((problem) => !/\b400\b/.test(problem))).toEqual([]);
    await context.close();
  });

  it('clears a settings field for good when it is emptied and saved', async () => {
    await page.goto(`${hub.url}/admin/profiles/${profileId}/settings`);
    await expect(page.getByLabel('Website').inputValue()).resolves.toBe('https://commission.europa.eu');
    await page.getByLabel('Website').fill('');
    await page.getByLabel('Organisation type').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await page.reload();
    await expect(page.getByLabel('Website').inputValue()).resolves.toBe('');
    const token = await hub.login(['analyst']);
    const profile = (await hub.http.get(`/api/profiles/${profileId}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(profile).toMatchObject({ website: null, organisationType: null, managedBy: 'the European Union' });
  });

  it('says the upload limit in megabytes', async () => {
    await page.goto(`${hub.url}/admin/profiles/${profileId}/compose`);
    const noisy = await sharp({
      create: { width: 900, height: 900, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
    })
      .png()
      .toBuffer();
    expect(noisy.length).toBeGreaterThan(1024 * 1024);
    await page.getByLabel('Image', { exact: true }).setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: noisy });
    await page.getByLabel('Alt text (describe the image)').fill('Noise');
    await page.getByRole('button', { name: 'Upload and attach' }).click();
    await page.getByRole('status').filter({ hasText: 'larger than 1 MB, the most an upload may be' }).waitFor();
  });

  it('logs out from a 403 and a 404 page', async () => {
    await hub.herald.app
      .get(StaffService)
      .create({ email: 'ana@example.test', displayName: 'Ana Analyst', password: TEST_PASSWORD, roles: ['analyst'] }, null);
    const context = await browser.newContext({ viewport: PHONE });
    const ana = await context.newPage();
    for (const path of [
      `/admin/profiles/${profileId}/settings`,
      `/admin/posts/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/row`,
      '/admin/nowhere',
    ]) {
      await logIn(ana, 'ana@example.test');
      const response = await ana.goto(`${hub.url}${path}`);
      expect([403, 404]).toContain(response!.status());
      await screenshot(ana, `error-${response!.status()}-390`);
      await ana.getByRole('button', { name: 'Log out' }).click();
      await ana.waitForURL(/\/admin\/login$/);
      // The session is gone: the console asks to log in again.
      await ana.goto(`${hub.url}/admin/account`);
      await ana.waitForURL(/\/admin\/login\?next=/);
    }
    await context.close();
  });
});
