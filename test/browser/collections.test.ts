/**
 * The Collections page in Chromium against a real `keel serve`: create a collection, upload files
 * and watch their ingestion, search in Korean, and ask with a streamed answer from llama.cpp.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { adminKey } from './support/keel-server.js';
import { signedInConsole } from './support/signed-in.js';

describe.runIf(chromiumAvailable)('Collections page', () => {
  const ui = signedInConsole();

  it('creates a collection, ingests uploaded files with progress, searches and answers', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/collections`);
    await page.getByText('No collections yet').waitFor();
    await page.getByLabel('New collection name').fill('manuals');
    await page.getByRole('button', { name: 'Create collection' }).click();
    await page.getByLabel('Collection', { exact: true }).waitFor();

    await page.getByLabel('Upload documents').setInputFiles([
      {
        name: 'warranty.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from(
          '# 보증 안내\n\n제품 보증 기간은 구입일로부터 2년입니다.\n\nThe warranty lasts two years.\n',
        ),
      },
      {
        name: 'staff.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('name,team\n김민수,물류\nJane,Sales\n'),
      },
    ]);
    await page.getByText('2 ingested, 0 failed').waitFor();
    const table = page.getByRole('table');
    await expect.poll(() => table.getByText('Ready').count()).toBe(2);
    await table.getByText('warranty.md').waitFor();

    await page.getByLabel('Question or search words').fill('보증 기간');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByText('warranty.md').first().waitFor();
    // Each score says how it was made.
    await results
      .getByText(/hybrid: keyword \(BM25\)/)
      .first()
      .waitFor();
    await page.getByLabel('Passages').fill('1');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1);

    await page.getByLabel('Answer model').fill('llamacpp:tiny');
    await page.getByLabel('Question or search words').fill('보증 기간은 얼마인가요?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.locator('.answer');
    await answer.getByRole('heading', { name: 'Answer' }).waitFor();
    await expect
      .poll(async () => ((await answer.locator('.answer-text').textContent()) ?? '').length)
      .toBeGreaterThan(0);
    await screenshot(page, 'collections');
  });

  it("starts the Ask form from the collection's answer model", async () => {
    const { keel, page } = ui;
    const response = await fetch(`${keel.url}/api/v1/collections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'handbook', config: { answer: { model: 'llamacpp:tiny' } } }),
    });
    expect(response.ok).toBe(true);
    const created = (await response.json()) as { id: string };
    await page.goto(`${keel.url}/collections`);
    await page.getByLabel('Collection', { exact: true }).selectOption(created.id);
    await expect.poll(() => page.getByLabel('Answer model').inputValue()).toBe('llamacpp:tiny');
  });
});
