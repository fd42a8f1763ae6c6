import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, watchForErrors } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { SwitchablePlc } from '../support/switchable-plc.js';
import { TEST_PASSWORD, startTestHerald, type TestHerald } from '../support/test-herald.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

jest.setTimeout(30_000);

/**
 * The Networks section of the console, in Chromium, on a real Herald whose PLC directory
 * does not answer: an admin reads why Bluesky fails and what to do, and presses Try now,
 * which makes an attempt at once; an editor reads the same status with no Try now button.
 */
describe('network status in the console', () => {
  let plc: SwitchablePlc;
  let hub: TestHerald;
  let browser: Browser;
  let profileId: string;

  async function logIn(email: string, viewport = DESKTOP): Promise<{ page: Page; problems: string[] }> {
    const page = await (await browser.newContext({ viewport })).newPage();
    const problems = watchForErrors(page);
    await page.goto(`${hub.url}/admin/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/admin/login'));
    return { page, problems };
  }

  beforeAll(async () => {
    plc = await SwitchablePlc.start();
    hub = await startTestHerald('web-netstatus', { ATPROTO_PLC_URL: plc.url });
    const admin = await hub.login(['admin'], 'admin@example.test');
    await hub.login(['editor'], 'editor@example.test');
    profileId = (
      await hub.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'eu', domain: 'social.example.eu', displayName: 'European Commission' })
        .expect(201)
    ).body.id;
    // The worker's first attempt at the account (on profile creation) has failed and started the wait.
    await eventually(async () => {
      const statuses = (await hub.http.get(`/api/profiles/${profileId}/networks`).set('Authorization', `Bearer ${admin}`)).body as Array<{
        protocol: string;
        failures: number;
      }>;
      return statuses.find((status) => status.protocol === 'atproto')!.failures === 1;
    }, 30_000);
    browser = await launchChromium();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await plc?.close();
  }, CLOSE_TIMEOUT_MS);

  it('shows an admin why Bluesky fails and what to do, and Try now attempts at once', async () => {
    const { page, problems } = await logIn('admin@example.test');
    await page.goto(`${hub.url}/admin/profiles/${profileId}/settings`);
    const networks = page.getByRole('region', { name: 'Networks' });
    const bluesky = networks.locator('li[data-protocol="atproto"]');
    await expect(bluesky.locator('.badge').textContent()).resolves.toBe('failing');
    await expect(bluesky.locator('.network-summary').textContent()).resolves.toMatch(
      new RegExp(
        `^Bluesky: the account could not be created because the PLC directory at ${plc.url} is unreachable\\. Herald will try again in \\d+ minutes\\.$`,
      ),
    );
    await expect(bluesky.locator('.network-action').textContent()).resolves.toContain(
      `Check that this server can reach the PLC directory at ${plc.url}`,
    );
    await expect(networks.locator('li[data-protocol="activitypub"] .badge').textContent()).resolves.toBe('ready');
    await screenshot(page, 'network-status-desktop');

    const before = plc.refused;
    await bluesky.getByRole('button', { name: 'Try now' }).click();
    await expect(
      page
        .locator('#console-status')
        .getByText(/^Still not ready\. Bluesky: the account could not be created/)
        .waitFor(),
    ).resolves.toBeUndefined();
    // The attempt reached the directory at once, not at the end of the 10-minute wait; the section shows the second failure.
    expect(plc.refused).toBeGreaterThan(before);
    const fresh = page.getByRole('region', { name: 'Networks' }).locator('li[data-protocol="atproto"]');
    await expect(fresh.locator('.network-summary').textContent()).resolves.toMatch(/Herald will try again in 20 minutes\.$/);
    expect(problems).toEqual([]);
  });

  it('shows an editor the same status on the posts page, with no Try now button', async () => {
    const { page, problems } = await logIn('editor@example.test', PHONE);
    await page.goto(`${hub.url}/admin/profiles/${profileId}/posts`);
    const bluesky = page.getByRole('region', { name: 'Networks' }).locator('li[data-protocol="atproto"]');
    await expect(bluesky.locator('.badge').textContent()).resolves.toBe('failing');
    await expect(bluesky.getByRole('button', { name: 'Try now' }).count()).resolves.toBe(0);
    await expect(bluesky.locator('.network-action').textContent()).resolves.toMatch(/then ask an admin to press Try now\.$/);
    const overflow = await page
      .locator('html')
      .evaluate((root: { scrollWidth: number; clientWidth: number }) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'network-status-phone');
    expect(problems).toEqual([]);
  });
});

/** A Herald whose PUBLIC_URL other servers cannot reach: both networks need action, and the public page offers neither. */
describe('network status with a PUBLIC_URL other servers cannot reach', () => {
  let hub: TestHerald;
  let admin: string;
  let profileId: string;

  beforeAll(async () => {
    // Private addresses refused, as in production, so the loopback PUBLIC_URL is a problem to name.
    hub = await startTestHerald('web-netstatus-url', {
      HERALD_ROLE: 'web',
      ALLOW_PRIVATE_ADDRESS: 'false',
      PUBLIC_URL: 'http://localhost:3000',
    });
    admin = await hub.login(['admin']);
    profileId = (
      await hub.http
        .post('/api/profiles')
        .set('Authorization', `Bearer ${admin}`)
        .send({ handle: 'local', domain: 'local.example.eu', displayName: 'Local' })
        .expect(201)
    ).body.id;
  }, START_TIMEOUT_MS);

  afterAll(() => hub?.close(), CLOSE_TIMEOUT_MS);

  it('says what to set, and hides both follow buttons', async () => {
    const statuses = (await hub.http.get(`/api/profiles/${profileId}/networks`).set('Authorization', `Bearer ${admin}`).expect(200))
      .body as Array<{ protocol: string; state: string; summary: string; action: string }>;
    expect(statuses.map((status) => [status.protocol, status.state])).toEqual([
      ['activitypub', 'needs action'],
      ['atproto', 'needs action'],
    ]);
    expect(statuses[0].summary).toBe(
      'Fediverse: PUBLIC_URL is http://localhost:3000, which other servers cannot reach: it must be a public https address.',
    );
    expect(statuses[0].action).toMatch(
      /^Set PUBLIC_URL to the public https URL where Herald is reachable, point the domain’s HTTPS at Herald/,
    );
    const page = (await hub.http.get('/@local').set('Host', 'localhost:3000').expect(200)).text;
    expect(page).not.toContain('Follow on the fediverse');
    expect(page).not.toContain('Follow on Bluesky');
  });
});
