/**
 * The console and the API reference run under their Content-Security-Policy: the pages load,
 * and Chromium reports no violation (a blocked script, style, font or request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, launchBrowser } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';

describe.runIf(chromiumAvailable)('content security policy', () => {
  let keel: KeelServer;
  let browser: Browser;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  /** Opens `path`, runs `act`, and returns the CSP violations the page reported. */
  async function violationsOn(
    path: string,
    act: (page: Awaited<ReturnType<Browser['newPage']>>) => Promise<void>,
  ) {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
      );
      localStorage.setItem('keel.language', 'en');
    });
    const response = await page.goto(`${keel.url}${path}`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await act(page);
    await page.close();
    return violations;
  }

  it('signs in to the console and opens its pages without a violation', async () => {
    const violations = await violationsOn('/prompt-lab', async (page) => {
      await page.getByLabel('API key', { exact: true }).fill(adminKey);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Prompt Lab', level: 1 }).waitFor();
      await page.getByRole('navigation', { name: 'Main navigation' }).getByText('Usage').click();
      await page.waitForLoadState('networkidle');
    });
    expect(violations).toEqual([]);
  });

  it('renders the API reference (swagger-ui) without a violation', async () => {
    const violations = await violationsOn('/docs', async (page) => {
      await page.locator('.swagger-ui .info').waitFor();
    });
    expect(violations).toEqual([]);
  });
});
