/**
 * The Data page's catalog in Chromium against a real `keel serve`: the descriptions of a table and
 * of its columns are edited on the page and saved through the API (read back after a reload, and
 * audited); join keys are proposed from two uploaded tables, shown with their evidence, and
 * accepted on the page; a viewer sees both read-only; and the new parts read in Korean.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, launchBrowser, screenshotOnFailure } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

const rows = (header: string, count: number, row: (index: number) => string) =>
  `${header}\n${Array.from({ length: count }, (_, index) => row(index + 1)).join('\n')}\n`;

describe.runIf(chromiumAvailable)('Data page catalog: descriptions and join keys', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    await keel.admin.data.upload({
      name: 'cars.csv',
      data: rows('id,make', 12, (i) => `${i},make ${i % 3}`),
    });
    await keel.admin.data.upload({
      name: 'sales.csv',
      data: rows('id,car_id,amount', 40, (i) => `${i},${(i % 12) + 1},${i * 10}`),
    });
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  it('edits the table and column descriptions, saved through the API and audited', async () => {
    await page.goto(`${keel.url}/data`);
    await page.getByRole('button', { name: 'cars', pressed: true }).waitFor();
    await page.getByRole('table', { name: 'Columns of cars' }).waitFor();
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill('Cars for sale');
    await page.getByRole('textbox', { name: 'Description of make' }).fill('Maker of the car');
    await page.getByRole('button', { name: 'Save description' }).click();
    await page.getByText('Saved.').waitFor();

    const table = await keel.admin.data.table('cars');
    expect(table.description).toBe('Cars for sale');
    expect(table.columns.find((column) => column.name === 'make')?.description).toBe('Maker of the car');
    expect(table.columns.find((column) => column.name === 'id')?.description).toBe('');
    const audit = await keel.admin.audit.list({ action: 'data.source.describe' });
    expect(audit.records.length).toBe(1);

    await page.reload();
    await page.getByRole('table', { name: 'Columns of cars' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Description of make' }).inputValue()).toBe(
      'Maker of the car',
    );
    expect(await page.getByRole('textbox', { name: 'Description', exact: true }).inputValue()).toBe(
      'Cars for sale',
    );
  });

  it('proposes join keys with their evidence and accepts one', async () => {
    await page.goto(`${keel.url}/data`);
    const joins = page.getByRole('region', { name: 'Join keys' });
    await joins.getByText('No join keys yet.').waitFor();
    await joins.getByRole('button', { name: 'Propose join keys' }).click();
    const list = joins.getByRole('table', { name: /Proposed and decided join keys/ });
    const row = list.getByRole('row', { name: /sales\.car_id/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('cars.id');
    expect(await row.textContent()).toContain('100% of 12 distinct values found; the column names the table');
    await joins.getByRole('button', { name: 'Accept sales.car_id → cars.id' }).click();
    await row.getByText('Accepted').waitFor();
    const stored = await keel.admin.data.joins();
    expect(stored.find((join) => join.from_column === 'car_id')?.status).toBe('accepted');
    expect(await joins.getByRole('button', { name: 'Accept sales.car_id → cars.id' }).isDisabled()).toBe(
      true,
    );
  });

  it('shows descriptions and join keys read-only to a viewer', async () => {
    const viewer = (await keel.admin.keys.create({ name: 'viewer', role: 'viewer' })).key;
    const viewerPage = await browser.newPage();
    try {
      await viewerPage.addInitScript(credentialScript(viewer));
      await viewerPage.goto(`${keel.url}/data`);
      await viewerPage.getByText('Cars for sale').waitFor();
      const columns = viewerPage.getByRole('table', { name: 'Columns of cars' });
      await columns.getByRole('cell', { name: 'Maker of the car' }).waitFor();
      expect(await viewerPage.getByRole('textbox', { name: 'Description of make' }).count()).toBe(0);
      const joins = viewerPage.getByRole('region', { name: 'Join keys' });
      await joins
        .getByRole('row', { name: /sales\.car_id/ })
        .getByText('Accepted')
        .waitFor();
      expect(await joins.getByRole('button').count()).toBe(0);
    } finally {
      await viewerPage.close();
    }
  });

  it('reads in Korean', async () => {
    await page.goto(`${keel.url}/data`);
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '조인 키', level: 2 }).waitFor();
    await page.getByRole('textbox', { name: 'make의 설명' }).waitFor();
    await page.getByRole('button', { name: 'sales.car_id → cars.id 거절' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Join keys', level: 2 }).waitFor();
  });
});
