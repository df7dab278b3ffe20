/**
 * The Data page in Chromium against a real `keel serve`: a CSV source added through the API shows
 * in the catalog; a SQL query returns rows in server-side pages and exports CSV; a tag and a masking policy set on
 * the page mask the values in the next result; the ask box shows its validation error and
 * every step of an answer from the tiny local model; and the page reads in Korean.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, launchBrowser, screenshotOnFailure } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

function peopleCsv(): string {
  const lines = ['id,name,email'];
  for (let i = 1; i <= 30; i++) lines.push(`${i},Person ${i},person${i}@example.com`);
  return `${lines.join('\n')}\n`;
}

describe.runIf(chromiumAvailable)('Data page', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    await keel.admin.data.upload(
      { name: 'people.csv', data: peopleCsv() },
      { description: 'Staff directory' },
    );
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  it('browses the catalog, runs SQL with paging and a CSV export, and masks a tagged column', async () => {
    await page.goto(`${keel.url}/data`);
    await page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'people', pressed: true }).waitFor();
    const columns = page.getByRole('table', { name: 'Columns of people' });
    await columns.getByRole('rowheader', { name: 'email' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Description', exact: true }).inputValue()).toBe(
      'Staff directory',
    );
    await page.getByText('30 rows').first().waitFor();

    await page.getByRole('button', { name: 'Query this table' }).click();
    const sql = page.getByLabel(/Read-only SQL/);
    expect(await sql.inputValue()).toBe('SELECT * FROM "people"');
    await sql.fill('SELECT id, name, email FROM people ORDER BY id');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = page.getByRole('table', { name: 'Result' });
    await result.getByRole('cell', { name: 'person1@example.com', exact: true }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^30 rows in/ })
      .waitFor();
    expect(await result.locator('tbody tr').count()).toBe(25);
    await page.getByText('Page 1 of 2').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2 of 2').waitFor();
    expect(await result.locator('tbody tr').count()).toBe(5);
    await result.getByRole('cell', { name: 'person30@example.com' }).waitFor();
    // Pages come from the server (the result is kept there); the first is kept for Previous.
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1 of 2').waitFor();
    await result.getByRole('cell', { name: 'person1@example.com', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Export as CSV' }).click();
    const link = page.getByRole('link', { name: 'Download result.csv' });
    await link.waitFor();
    expect(await link.getAttribute('download')).toBe('result.csv');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('result.csv');
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toBe('id,name,email');
    expect(csv).toContain('30,Person 30,person30@example.com');

    // Tag the column, then mask the tag for admins (the signed-in role).
    await page.getByLabel('Tags of email (comma-separated)').fill('pii');
    await page.getByRole('button', { name: 'Save tags: email' }).click();
    const form = page.getByRole('form', { name: 'Add a masking policy' });
    await form.getByLabel('Tag').fill('pii');
    await form.getByLabel('Method').selectOption('redact');
    await form.getByLabel('Viewer').uncheck();
    await form.getByRole('button', { name: 'Add policy' }).click();
    await form.getByRole('alert').filter({ hasText: 'Choose at least one role.' }).waitFor();
    await form.getByLabel('Admin').check();
    await form.getByRole('button', { name: 'Add policy' }).click();

    const policies = page.getByRole('table', { name: 'Masking policies' });
    await policies.getByRole('rowheader', { name: 'tag pii' }).waitFor();
    const emailRow = columns.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'email' }) });
    await expect.poll(() => emailRow.textContent()).toContain('Redact');
    await page.getByText('Masked columns applied in: people').waitFor();
    // The unmasked export's link went with the result it came from.
    expect(await page.getByRole('link', { name: 'Download result.csv' }).count()).toBe(0);
    await result.getByRole('cell', { name: '[REDACTED]' }).first().waitFor();
    expect(await result.textContent()).not.toContain('@example.com');
    expect(await result.textContent()).toContain('Person 1');
    const tagged = await keel.admin.data.table('people');
    expect(tagged.columns.find((c) => c.name === 'email')).toMatchObject({ tags: ['pii'], masked: 'redact' });
  });

  it('shows the ask box’s validation error, then every step of an answer', async () => {
    await page.goto(`${keel.url}/data`);
    const ask = page.getByRole('form', { name: 'Ask a question' });
    await ask.getByLabel('Model that writes the SQL').waitFor();
    await ask.getByRole('button', { name: 'Ask' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The question could not be answered' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('invalid_request');

    // The tiny local model writes nonsense SQL: whatever it writes, each step is shown.
    await ask.getByLabel(/Question/).fill('How many people are there?');
    await ask.getByLabel('Model that writes the SQL').selectOption('llamacpp:tiny');
    await ask.getByRole('button', { name: 'Ask' }).click();
    const steps = page.locator('ol.data-steps');
    await steps.waitFor({ timeout: 60_000 });
    const shown = await steps.locator('li > strong').allTextContents();
    expect(shown.slice(0, 2)).toEqual(['Choose tables', 'Write SQL']);
    expect(await steps.locator('li').first().textContent()).toContain('people');
  });

  it('reads in Korean', async () => {
    await page.goto(`${keel.url}/data`);
    await page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '데이터', level: 1 }).waitFor();
    for (const name of ['카탈로그', '질문하기', '마스킹 정책'])
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    await page.getByRole('table', { name: 'people의 열' }).waitFor();
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '데이터' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
  });
});
