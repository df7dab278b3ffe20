/**
 * The Models and Usage pages in Chromium against a real `keel serve`: the catalog with its facts,
 * provider status, a model pull followed live (from a slow local file server), and usage charts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf } from '../../src/testing/tiny-gguf.js';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';
import { type SlowFileServer, startSlowFileServer } from './support/slow-file-server.js';

describe.runIf(chromiumAvailable)('Models and Usage pages', () => {
  // Pulls from the local file server need private-network fetches allowed.
  const ui = signedInConsole({ KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' });
  let files: SlowFileServer;

  beforeAll(async () => {
    files = await startSlowFileServer(buildTinyGguf({ seed: 11 }), { chunkBytes: 8 * 1024, intervalMs: 120 });
  });
  afterAll(async () => {
    await files?.close();
  });

  it('shows providers, served models and the catalog with tasks, context, licence and size', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/models`);
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    const providers = page.locator('.provider-card');
    await expect.poll(() => providers.filter({ hasText: 'llamacpp' }).textContent()).toContain('Reachable');
    const served = page.getByRole('table');
    for (const model of ['llamacpp:tiny', 'llamacpp:tiny-ko'])
      await served.getByText(model, { exact: true }).waitFor();

    const granite = page.getByRole('listitem', { name: 'IBM Granite 3.3 2B Instruct' });
    const facts = (await granite.textContent()) ?? '';
    expect(facts).toContain('131,072 tokens');
    expect(facts).toContain('Apache-2.0');
    expect(facts).toContain('1.5 GB');
    expect(facts).toContain('Not downloaded');
    expect(await granite.getByRole('listitem').allTextContents()).toEqual(
      expect.arrayContaining(['Generate', 'Summarise', 'Q&A']),
    );
    await granite.getByRole('button', { name: 'Download IBM Granite 3.3 2B Instruct' }).waitFor();

    await page.getByLabel('Task', { exact: true }).selectOption('embed');
    await expect.poll(() => granite.count()).toBe(0);
    const embedders = await page.locator('.catalog-card h3').allTextContents();
    expect(embedders.length).toBeGreaterThan(0);
    expect(embedders.join(' ')).toMatch(/Embedding|bge-m3/);
    await page.getByLabel('Task', { exact: true }).selectOption('');
    await screenshot(page, 'models');
  });

  it('pulls a model with a live progress bar, then serves it', async () => {
    const { page } = ui;
    await page.getByLabel('Source').fill(`${files.url}/tiny-pulled.gguf`);
    await page.getByLabel('Save as (optional)').fill('tiny-pulled');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    const seen = new Set<string>();
    let shot = false;
    while ((await bar.count()) > 0) {
      const value = await bar.getAttribute('aria-valuenow').catch(() => null);
      if (value) seen.add(value);
      if (!shot && value && Number(value) > 30) {
        await bar.scrollIntoViewIfNeeded();
        await screenshot(page, 'models-pull', false);
        shot = true;
      }
      await page.waitForTimeout(100);
    }
    // The bar moved through several values on its way to the end.
    expect([...seen].filter((value) => Number(value) > 0 && Number(value) < 100).length).toBeGreaterThan(1);
    await page.getByText('Downloaded: llamacpp:tiny-pulled is ready.').waitFor();
    await page.getByRole('table').getByText('llamacpp:tiny-pulled', { exact: true }).waitFor();
  });

  it('charts tokens, requests and latency per model and per key', async () => {
    const { keel, page } = ui;
    for (const model of ['llamacpp:tiny', 'llamacpp:tiny-ko', 'llamacpp:tiny'])
      await keel.admin.prompts.run({
        template: { mode: 'freeform', text: 'Hello {{who}}', parameters: { max_new_tokens: 12 } },
        variables: { who: 'Keel' },
        model,
      });
    await page.goto(`${keel.url}/usage`);
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    const tokens = page.getByRole('img', { name: 'Tokens per day' });
    await tokens.waitFor();
    expect(await tokens.locator('rect').count()).toBeGreaterThanOrEqual(2);
    expect(
      await page.getByRole('img', { name: 'Average latency per day' }).locator('circle').count(),
    ).toBeGreaterThan(0);
    const table = page.getByRole('table', { name: 'Totals for the period' });
    await table.getByText('llamacpp:tiny', { exact: true }).waitFor();
    const tinyRow = table.getByRole('row').filter({ has: page.getByText('llamacpp:tiny', { exact: true }) });
    expect(await tinyRow.getByRole('cell').first().textContent()).toBe('2');
    await screenshot(page, 'usage');

    await page.getByLabel('Group by').selectOption('key');
    await table.getByRole('columnheader', { name: 'API key' }).waitFor();
    // All of it went through the admin key, shown by its name rather than its id.
    await expect.poll(() => table.getByRole('rowheader').allTextContents()).toEqual(['bootstrap']);
  });
});
