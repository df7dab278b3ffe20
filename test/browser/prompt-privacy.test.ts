/**
 * Prompt Lab privacy in Chromium against a real `keel serve`: under a default guardrail policy
 * that masks PII, a run whose prompt holds an email address is listed masked in the history (with
 * a note naming the policy); a viewer gets no way to reveal it and restores it masked; an admin
 * (a role the policy lets restore) asks for the original values and sees them, audited.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditApi } from '../../src/sdk/audit.js';
import {
  type Browser,
  chromiumAvailable,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
} from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { createKey, credentialScript } from './support/session.js';

const EMAIL = 'kim.minji@example.com';

async function openLab(browser: Browser, url: string, key: string): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(credentialScript(key));
  await page.goto(`${url}/prompt-lab`);
  await page.getByRole('heading', { name: 'Prompt Lab', level: 1 }).waitFor();
  return page;
}

describe.runIf(chromiumAvailable)('Prompt Lab privacy', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page | undefined;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    // The project's default policy: Keel's defaults, PII masked; admins and editors may restore.
    await keel.admin.guardrails.policies.put('default', {});
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  it('lists a run with an email masked, and reveals it to an admin only', async () => {
    const admin = await openLab(browser, keel.url, adminKey);
    page = admin;
    await admin.getByRole('radio', { name: 'Freeform' }).check();
    await admin
      .getByRole('textbox', { name: 'Prompt', exact: true })
      .fill('Write a short reply to {{email}} about the invoice.');
    await admin
      .getByRole('region', { name: /^Variables/ })
      .getByRole('textbox')
      .fill(EMAIL);
    await admin.getByLabel('Max new tokens').fill('8');
    await admin.getByRole('button', { name: 'Run', exact: true }).click();
    const summary = admin.getByTestId('run-summary');
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/Done|Failed/);

    // The history holds what the policy let through.
    const item = admin.getByRole('list', { name: 'Runs' }).getByRole('listitem').first();
    await expect.poll(() => item.getByTestId('history-prompt').textContent()).toContain('[EMAIL]');
    expect(await item.textContent()).not.toContain(EMAIL);
    expect(await item.getByTestId('history-redaction').textContent()).toBe(
      'Values masked by the guardrail policy default.',
    );

    // A viewer sees the note but no way to reveal, and restores the run masked.
    const viewerKey = (await createKey(keel.admin, 'viewer', 'viewer')).key;
    const viewer = await openLab(browser, keel.url, viewerKey);
    page = viewer;
    const viewed = viewer.getByRole('list', { name: 'Runs' }).getByRole('listitem').first();
    await viewed.getByTestId('history-redaction').waitFor();
    expect(await viewed.getByRole('button', { name: /^Show the original values/ }).count()).toBe(0);
    await viewed.getByRole('button', { name: /^Restore the run of/ }).click();
    await viewer.getByText('Values the guardrail policy default masked stay masked here.').waitFor();
    expect(
      await viewer
        .getByRole('region', { name: /^Variables/ })
        .getByRole('textbox')
        .inputValue(),
    ).toBe('[EMAIL]');
    await viewer.close();

    // The admin asks for the original values: the email is back, and the reveal is audited.
    page = admin;
    await item.getByRole('button', { name: /^Show the original values of the run of/ }).click();
    await expect.poll(() => item.getByTestId('history-prompt').textContent()).toContain(EMAIL);
    expect(await item.getByTestId('history-redaction').textContent()).toMatch(/^Original values shown/);
    expect(await item.getByRole('button', { name: /^Show the original values/ }).count()).toBe(0);
    await screenshot(admin, 'prompt-lab-revealed', false);
    const audit = await new AuditApi(keel.admin).list({ action: 'prompt_run.reveal' });
    expect(audit.records).toHaveLength(1);
    expect(JSON.stringify(audit.records)).not.toContain(EMAIL);
  });
});
