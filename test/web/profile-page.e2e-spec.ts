import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium, screenshot, watchForErrors } from '../support/browser.js';
import { startTestHerald, type TestHerald } from '../support/test-herald.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';

/** Basic accessibility facts of a rendered page, read from the live DOM. */
interface AccessibilityFacts {
  lang: string;
  headings: number[];
  imagesWithoutAlt: string[];
  unlabelledControls: string[];
  unnamedButtonsAndLinks: string[];
  landmarks: string[];
}

/** The little of the DOM these checks read in the page (the tests' type check has no DOM types: that is the browser code's). */
interface PageElement {
  tagName: string;
  outerHTML: string;
  textContent: string | null;
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
}
interface PageRoot {
  lang: string;
  scrollWidth: number;
  clientWidth: number;
  querySelectorAll(selector: string): Iterable<PageElement>;
}

// Starting Herald and Chromium takes a few seconds more on a busy machine.
jest.setTimeout(60_000);

describe('the public profile page in a real browser', () => {
  let hub: TestHerald;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startTestHerald('web-browser-profile', { HERALD_ROLE: 'web' });
    browser = await launchChromium();
    const admin = await hub.login(['admin']);
    const editor = await hub.login(['editor']);
    const profile = await hub.http
      .post('/api/profiles')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        handle: 'eu',
        domain: 'ec.social.example.eu',
        displayName: 'European Commission',
        bio: 'News and information from the European Commission.\nA project to foster our presence in the fediverse. #EU',
        organisationType: 'Governmental organisation',
        website: 'https://commission.europa.eu',
        managedBy: 'the European Union',
      })
      .expect(201);
    const post = (body: object) =>
      hub.http
        .post(`/api/profiles/${profile.body.id}/posts`)
        .set('Authorization', `Bearer ${editor}`)
        .send({ status: 'published', language: 'en', ...body })
        .expect(201);
    const chart = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#2a6f97' } })
      .png()
      .toBuffer();
    const media = await hub.http
      .post(`/api/profiles/${profile.body.id}/media`)
      .set('Authorization', `Bearer ${editor}`)
      .attach('file', chart, 'chart.png')
      .expect(201);
    await post({
      kind: 'article',
      title: 'EU closing in on the 2030 climate and energy targets',
      summary: 'According to national plans',
      text: 'The assessment of the National Energy and Climate Plans shows progress.',
    });
    await post({
      kind: 'note',
      text: 'Learn more about the assessment of the National Energy and Climate Plans here: https://europa.eu/IN4dNpV',
      attachments: [{ mediaId: media.body.id, altText: 'Chart: emissions falling towards the 2030 target' }],
    });
    await post({
      kind: 'note',
      text: 'Time to choose a healthier lifestyle\n\nEvery year, 700,000 people in the EU lose their lives because of tobacco consumption.\n\nSay yes to health. Say no to tobacco. #health',
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  }, CLOSE_TIMEOUT_MS);

  it('shows the newest post with no console errors and passes the accessibility basics', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchForErrors(page);
    await page.goto(`${hub.url}/@eu`);
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'profile-page');
    await expect(page.locator('main article').first().textContent()).resolves.toContain('Time to choose a healthier lifestyle');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('European Commission');
    // The Bluesky account does not exist (no worker here): only the fediverse is offered.
    await expect(page.getByRole('link', { name: 'Follow on Bluesky' }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Your fediverse address').count()).resolves.toBe(1);
    const facts = await page.locator('html').evaluate((root: PageRoot): AccessibilityFacts => ({
      lang: root.lang,
      headings: Array.from(root.querySelectorAll('h1,h2,h3,h4,h5,h6')).map((heading) => Number(heading.tagName[1])),
      imagesWithoutAlt: Array.from(root.querySelectorAll('img:not([alt])')).map((image) => image.outerHTML),
      unlabelledControls: Array.from(root.querySelectorAll('input,select,textarea'))
        .filter((control) => control.labels?.length === 0 && !control.getAttribute('aria-label'))
        .map((control) => control.outerHTML),
      unnamedButtonsAndLinks: Array.from(root.querySelectorAll('a,button'))
        .filter((element) => !(element.textContent ?? '').trim() && !element.getAttribute('aria-label'))
        .map((element) => element.outerHTML),
      landmarks: Array.from(root.querySelectorAll('main,nav,aside,header,footer')).map((element) => element.tagName.toLowerCase()),
    }));
    expect(facts.lang).toBe('en');
    expect(facts.headings[0]).toBe(1);
    expect(facts.headings.filter((level) => level === 1)).toHaveLength(1);
    // No level is skipped going down (h1 → h3 without h2).
    facts.headings.forEach((level, index) => {
      if (index > 0) expect(level - facts.headings[index - 1]).toBeLessThanOrEqual(1);
    });
    expect(facts.imagesWithoutAlt).toEqual([]);
    expect(facts.unlabelledControls).toEqual([]);
    expect(facts.unnamedButtonsAndLinks).toEqual([]);
    expect(facts.landmarks).toEqual(expect.arrayContaining(['main', 'nav', 'aside', 'header', 'footer']));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the Media tab and a post page, still without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchForErrors(page);
    await page.goto(`${hub.url}/@eu`);
    await page.getByRole('link', { name: 'Media' }).click();
    await expect(page.getByRole('img', { name: 'Chart: emissions falling towards the 2030 target' }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Featured' }).click();
    await page.getByRole('link', { name: 'EU closing in on the 2030 climate and energy targets' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'EU closing in on the 2030 climate and energy targets',
    );
    await expect(page.locator('meta[property="og:title"]').getAttribute('content')).resolves.toBe(
      'EU closing in on the 2030 climate and energy targets',
    );
    await screenshot(page, 'article-page');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lays out on a phone-sized screen without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    await page.goto(`${hub.url}/@eu`);
    await screenshot(page, 'profile-page-mobile');
    const overflow = await page.locator('html').evaluate((root: PageRoot) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
