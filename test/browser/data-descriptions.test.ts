/**
 * The Data page's drafted descriptions in Chromium against a real `keel serve`, the model a fake
 * OpenAI-compatible upstream on 127.0.0.1 that fills its JSON answers with the first word of its
 * reply: a person asks for a Korean draft, reviews it on the page (adds a column's description),
 * accepts it, and the descriptions are stored and audited with the model named; a second draft is
 * discarded and changes nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';
import { type Browser, chromiumAvailable, launchBrowser, screenshotOnFailure } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

describe.runIf(chromiumAvailable)('Data page: descriptions drafted by a model, reviewed by a person', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;
  let upstream: FakeUpstream;
  let work: string;

  beforeAll(async () => {
    upstream = await startFakeOpenAI({ reply: '차량', models: ['writer'] });
    work = await mkdtemp(path.join(tmpdir(), 'keel-browser-describe-'));
    const config = path.join(work, 'keel.yaml');
    await writeFile(
      config,
      `providers:\n  - type: openai-compatible\n    name: fake\n    baseURL: ${upstream.url}/v1\n    models: [writer]\n`,
    );
    [keel, browser] = await Promise.all([
      startKeel({ KEEL_CONFIG: config, KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' }),
      launchBrowser(),
    ]);
    await keel.admin.data.upload({ name: 'cars.csv', data: 'id,make\n1,Kia\n2,Hyundai\n' });
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

  it('drafts in Korean, is reviewed and accepted on the page, stored and audited', async () => {
    await page.goto(`${keel.url}/data`);
    const drafts = page.getByRole('region', { name: 'Drafted descriptions' });
    const request = drafts.getByRole('form', { name: 'Draft the descriptions with a model' });
    await request.getByLabel('Model').selectOption('fake:writer');
    await request.getByLabel('Language of the draft').selectOption('ko');
    await request.getByRole('button', { name: 'Draft descriptions' }).click();

    const review = drafts.getByRole('form', { name: 'Review the drafted descriptions' });
    await review.getByText('Drafted by fake:writer in Korean').waitFor();
    expect(await review.getByLabel('Drafted table description').inputValue()).toBe('차량');
    // Nothing a person wrote has changed yet.
    expect((await keel.admin.data.table('cars')).description).toBe('');
    await review.getByLabel('Drafted description of make', { exact: true }).fill('제조사');
    await review.getByRole('button', { name: 'Accept draft' }).click();
    await drafts.getByRole('form', { name: 'Draft the descriptions with a model' }).waitFor();

    const table = await keel.admin.data.table('cars');
    expect(table.description).toBe('차량');
    expect(table.draft).toBeNull();
    expect(table.columns.find((column) => column.name === 'make')?.description).toBe('제조사');
    expect(await page.getByRole('textbox', { name: 'Description', exact: true }).inputValue()).toBe('차량');
    const audit = await keel.admin.audit.list({ action: 'data.source.describe' });
    expect(audit.records.at(-1)?.detail).toMatchObject({ draftModel: 'fake:writer', edited: true });
  });

  it('discards a draft, leaving the descriptions as they were', async () => {
    await page.goto(`${keel.url}/data`);
    const drafts = page.getByRole('region', { name: 'Drafted descriptions' });
    const request = drafts.getByRole('form', { name: 'Draft the descriptions with a model' });
    await request.getByLabel('Model').selectOption('fake:writer');
    await request.getByRole('button', { name: 'Draft descriptions' }).click();
    const review = drafts.getByRole('form', { name: 'Review the drafted descriptions' });
    await review.getByText('Drafted by fake:writer in English').waitFor();
    await review.getByRole('button', { name: 'Discard draft' }).click();
    await request.waitFor();
    const table = await keel.admin.data.table('cars');
    expect(table.draft).toBeNull();
    expect(table.description).toBe('차량');
  });
});
