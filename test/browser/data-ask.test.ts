/**
 * The Data page's ask box in Chromium against a real `keel serve`, its model a fake
 * OpenAI-compatible upstream on 127.0.0.1 that writes `SELECT*FROM"people"` (its JSON answers are
 * filled from the first word of its reply). The answer's result is read in server-side pages, as
 * the SQL editor's is: 25 rows, Next reads the second page by its token, Previous shows the page
 * already read, and a result whose spooled pages are gone says it has expired.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';
import { type Browser, chromiumAvailable, launchBrowser, screenshotOnFailure } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

function peopleCsv(): string {
  const lines = ['id,name'];
  for (let i = 1; i <= 30; i++) lines.push(`${i},Person ${i}`);
  return `${lines.join('\n')}\n`;
}

/** Paged results' spool files (`dpg_*.parquet`) anywhere under the data directory. */
async function spoolFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /^dpg_.*\.parquet$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe.runIf(chromiumAvailable)('Data page: the ask box pages its result on the server', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;
  let upstream: FakeUpstream;
  let work: string;

  beforeAll(async () => {
    upstream = await startFakeOpenAI({ reply: 'SELECT*FROM"people"', models: ['sql'] });
    work = await mkdtemp(path.join(tmpdir(), 'keel-browser-ask-'));
    const config = path.join(work, 'keel.yaml');
    await writeFile(
      config,
      `providers:\n  - type: openai-compatible\n    name: fake\n    baseURL: ${upstream.url}/v1\n    models: [sql]\n`,
    );
    [keel, browser] = await Promise.all([
      startKeel({ KEEL_CONFIG: config, KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' }),
      launchBrowser(),
    ]);
    await keel.admin.data.upload({ name: 'people.csv', data: peopleCsv() });
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
    await upstream?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function ask(question: string) {
    const form = page.getByRole('form', { name: 'Ask a question' });
    await form.getByLabel(/Question/).fill(question);
    await form.getByLabel('Model that writes the SQL').selectOption('fake:sql');
    await form.getByRole('button', { name: 'Ask' }).click();
  }

  it('reads the answer a page at a time, keeps pages read, and says when the result expired', async () => {
    await page.goto(`${keel.url}/data`);
    await ask('Who works here?');
    const answer = page.getByRole('article', { name: 'Who works here?' });
    await answer.getByText('SELECT*FROM"people"').first().waitFor();
    const result = answer.getByRole('table', { name: 'Result' });
    await result.getByRole('cell', { name: 'Person 1', exact: true }).waitFor();
    await answer
      .getByRole('status')
      .filter({ hasText: /^30 rows in/ })
      .waitFor();
    expect(await result.locator('tbody tr').count()).toBe(25);
    const pager = answer.getByRole('navigation', { name: 'Result pages' });
    await pager.getByText('Page 1 of 2').waitFor();

    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('Page 2 of 2').waitFor();
    expect(await result.locator('tbody tr').count()).toBe(5);
    await result.getByRole('cell', { name: 'Person 30' }).waitFor();
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText('Page 1 of 2').waitFor();
    await result.getByRole('cell', { name: 'Person 1', exact: true }).waitFor();
    // Page 2 was read once: turning to it again asks the server nothing.
    const pageReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/data/query/page')) pageReads.push(request.url());
    });
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('Page 2 of 2').waitFor();
    expect(pageReads).toHaveLength(0);

    // A new answer, whose kept result then goes (as it does 15 minutes on): Next says it expired.
    await ask('Everyone, again');
    const again = page.getByRole('article', { name: 'Everyone, again' });
    const pagerAgain = again.getByRole('navigation', { name: 'Result pages' });
    await pagerAgain.getByText('Page 1 of 2').waitFor();
    const spooled = await spoolFiles(keel.dataDir);
    expect(spooled.length).toBeGreaterThan(0);
    await Promise.all(spooled.map((file) => rm(file)));
    await pagerAgain.getByRole('button', { name: 'Next' }).click();
    const expired = again.getByRole('alert').filter({ hasText: 'Could not read that page' });
    await expired.waitFor();
    expect(await expired.textContent()).toContain('This result has expired: run the query again.');
    expect(pageReads).toHaveLength(1);
    await pagerAgain.getByText('Page 1 of 2').waitFor();
  });
});
