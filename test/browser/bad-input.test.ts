/**
 * What goes wrong, in Chromium against a real `keel serve`: a run the server refuses shows its
 * message and code beside the prompt and keeps the draft; a connection lost mid-stream keeps the
 * partial answer and says so; a revoked key sends the user to sign in without losing the draft.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, launchBrowser, screenshot } from './support/browser.js';
import { type CuttingProxy, startCuttingProxy } from './support/cutting-proxy.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { createKey, credentialScript } from './support/session.js';

async function writePrompt(page: Page, instruction: string) {
  await page.getByRole('textbox', { name: 'Instruction', exact: true }).fill(instruction);
  await page.getByRole('textbox', { name: 'Test input', exact: true }).fill('Anything at all.');
}

describe.runIf(chromiumAvailable)('bad input', () => {
  let keel: KeelServer;
  let browser: Browser;
  let proxy: CuttingProxy;
  let page: Page | undefined;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    proxy = await startCuttingProxy(keel.url);
  });
  afterEach(async (context) => {
    if (page && context.task.result?.state === 'fail')
      await screenshot(page, `failed-${context.task.name.slice(0, 40)}`);
    await page?.close();
    page = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await keel?.stop();
  });

  it('shows a refused run’s message and code next to the prompt and keeps the draft', async () => {
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
    await page.goto(`${keel.url}/prompt-lab`);
    await writePrompt(page, 'Tell a very long story.');
    // The whole context for the answer leaves no room for the prompt: the server refuses.
    await page.getByLabel('Max new tokens').fill('2048');
    await expect
      .poll(() => page!.getByTestId('token-count').textContent())
      .toMatch(/^Too long for the model: .*do not fit/);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const error = page.getByRole('alert').filter({ hasText: 'The run failed' });
    await error.waitFor();
    expect(await error.locator('code').textContent()).toBe('context_length_exceeded');
    expect(await error.textContent()).toContain('HTTP 400');
    expect(await page.getByRole('textbox', { name: 'Instruction', exact: true }).inputValue()).toBe(
      'Tell a very long story.',
    );
    await screenshot(page, 'prompt-lab-error');
  });

  it('keeps the partial answer when the connection drops mid-stream, and says so', async () => {
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
    await page.goto(`${proxy.url}/prompt-lab`);
    await writePrompt(page, 'Keep talking.');
    await page.getByLabel('Max new tokens').fill('400');
    await expect.poll(() => page!.getByTestId('token-count').textContent()).toMatch(/^\d+ tokens/);
    proxy.cutNextStream();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page
      .getByText('The connection was lost while the answer was streaming.', { exact: false })
      .waitFor();
    expect(await page.getByTestId('run-summary').textContent()).toContain('Interrupted');
    const partial = (await page.getByTestId('run-output').textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(await page.getByRole('textbox', { name: 'Instruction', exact: true }).inputValue()).toBe(
      'Keep talking.',
    );
    await screenshot(page, 'prompt-lab-interrupted');
  });

  it('sends a revoked key to sign-in and brings the draft back afterwards', async () => {
    const { id, key } = await createKey(keel.admin, 'short-lived', 'editor');
    page = await browser.newPage();
    await page.addInitScript(() => localStorage.setItem('keel.language', 'en'));
    await page.goto(`${keel.url}/prompt-lab`);
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Prompt Lab', level: 1 }).waitFor();
    await writePrompt(page, 'A draft that must survive {{city}}.');
    await page
      .getByRole('region', { name: /^Variables/ })
      .getByRole('textbox')
      .fill('Busan');

    await keel.admin.keys.revoke(id);
    const expired = page.getByText('Your key expired or was revoked.', { exact: false });
    // A background call (the token count after the variable changed) may meet the revoked key
    // before the Run click does; either way the console must send the user to sign-in.
    await page
      .getByRole('button', { name: 'Run', exact: true })
      .click({ timeout: 5_000 })
      .catch(async (error: unknown) => {
        if (!(await expired.isVisible())) throw error;
      });
    await expired.waitFor();
    await screenshot(page, 'sign-in-expired');
    await page.getByLabel('API key', { exact: true }).fill(adminKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Prompt Lab', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/prompt-lab');
    expect(await page.getByRole('textbox', { name: 'Instruction', exact: true }).inputValue()).toBe(
      'A draft that must survive {{city}}.',
    );
    expect(
      await page
        .getByRole('region', { name: /^Variables/ })
        .getByRole('textbox')
        .inputValue(),
    ).toBe('Busan');
  });
});
