/**
 * Debian's Chromium driven by playwright-core, with a fresh profile per test file. Without
 * Chromium the browser tests skip with a message locally and fail in CI (`CI` set).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterEach } from 'vitest';

export const chromiumPath = process.env.KEEL_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);

if (!chromiumAvailable) {
  const message = `Chromium not found at ${chromiumPath} (set KEEL_CHROMIUM or apt-get install chromium).`;
  if (process.env.CI) throw new Error(`${message} The browser tests cannot be skipped in CI.`);
  process.stderr.write(`\nSkipping the browser tests: ${message}\n`);
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const screenshotDir = path.join(root, 'test-artifacts', 'screenshots');

export interface Browser {
  context: BrowserContext;
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'keel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(screenshotDir, { recursive: true });
  return {
    context,
    async newPage(options = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 800 });
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });
}

/** In a suite: when a test fails, a screenshot of the page it left (`failed-<test name>`). */
export function screenshotOnFailure(page: () => Page | undefined): void {
  afterEach(async (context) => {
    const current = page();
    if (current && context.task.result?.state === 'fail')
      await screenshot(current, `failed-${context.task.name.slice(0, 40)}`);
  });
}
