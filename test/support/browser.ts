import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { track } from './leftovers.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Screenshots for people to look at; not committed (see .gitignore). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test', 'artifacts');

/**
 * Debian's Chromium, headless, offline-quiet. Playwright gives every launch a
 * fresh temporary user-data-dir, and each test context its own cookie jar.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Run the suite with npm test as root (it installs it), or: sudo apt-get install chromium`,
    );
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  // A browser left open by its test file is closed at the file's end.
  return track(
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  );
}

/**
 * Console errors, uncaught exceptions, HTTP errors and failed requests seen by a page.
 * `net::ERR_ABORTED` is Chromium cancelling a request itself (the page navigated
 * away, an image's source changed, a media element read enough), so it is no
 * problem; a server's refusal shows as its 4xx/5xx status, and a broken
 * connection as another error.
 */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? '';
    if (error !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${error}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
