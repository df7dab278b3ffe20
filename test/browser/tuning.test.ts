/**
 * The Tuning page in Chromium against a real `keel serve`: a head trained from pasted labelled
 * lines, its job followed to the end with the loss curve drawn, the head compared with the
 * untuned baseline, and a text classified with it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, launchBrowser, screenshotOnFailure } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

function lines(): string {
  const rude = ['바보', '멍청이', '꺼져', '쓰레기'];
  const kind = ['고마워요', '좋아요', '멋져요', '사랑해요'];
  const out: string[] = [];
  for (let i = 0; i < 30; i++) {
    out.push(`hap\t${rude[i % 4]} 너는 정말 ${rude[(i + 1) % 4]} ${i}`);
    out.push(`none\t${kind[i % 4]} 오늘도 ${kind[(i + 2) % 4]} ${i}`);
  }
  return out.join('\n');
}

describe.runIf(chromiumAvailable)('Tuning page', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  it('trains a head, follows the job with its loss curve, compares with the baseline and classifies', async () => {
    await page.goto(`${keel.url}/tuning`);
    await page.getByRole('heading', { name: 'Tuning', level: 1 }).waitFor();
    await page.getByText('No heads yet.').waitFor();

    const form = page.getByRole('form', { name: 'Train a head' });
    await form.getByLabel('Head name').fill('rude');
    await form.getByLabel('Method').selectOption('mlp');
    await form.getByLabel(/Labelled texts/).fill('hap only one line');
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('alert').filter({ hasText: 'Line 1 needs a label' }).waitFor();

    await form.getByLabel(/Labelled texts/).fill(lines());
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Status: succeeded').waitFor({ timeout: 60_000 });
    await page.getByRole('img', { name: 'Loss curve' }).waitFor();
    expect(await page.locator('.tuning-curve polyline').count()).toBe(2);

    const table = page.getByRole('table', { name: 'Against the untuned baseline' });
    await table.getByRole('rowheader', { name: 'head:rude v1' }).waitFor();
    const headRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'head:rude v1' }) });
    expect(await headRow.textContent()).toContain('mlp');
    const baselineRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /Baseline/ }) });
    // 12 validation items per class: the majority baseline is right half the time.
    expect(await baselineRow.textContent()).toContain('0.5');

    const tryForm = page.getByRole('form', { name: 'Classify a text' });
    await tryForm.getByRole('textbox').fill('이 멍청이 바보');
    await tryForm.getByRole('button', { name: 'Classify' }).click();
    await expect.poll(() => tryForm.locator('output').textContent()).toContain('Label: hap');
  });
});
