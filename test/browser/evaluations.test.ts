/**
 * The Evaluations page in Chromium against a real `keel serve`: upload and preview a dataset,
 * start a run with llama.cpp and follow it live, read its scores with intervals and thresholds,
 * drill into an item's diff against the reference, and compare two runs — in English and Korean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

const csv = 'question,answer\n보증 기간은?,2년입니다\nWhat is the capital of France?,Paris\n';

describe.runIf(chromiumAvailable)('Evaluations page', () => {
  const ui = signedInConsole();

  beforeAll(async () => {
    const { keel } = ui;
    // A finished run to compare the page's own run with.
    const { dataset } = await keel.admin.evals.addDataset({
      name: 'seeded-qa',
      content: csv,
      format: 'csv',
      mapping: { reference: 'answer' },
    });
    const seeded = await keel.admin.evals.create({
      name: 'seeded run',
      dataset: dataset.id,
      target: { kind: 'model', model: 'llamacpp:tiny', parameters: { max_new_tokens: 4 } },
      metrics: ['exact_match', 'f1'],
    });
    // A small red-team run for the report table.
    // Under a policy that blocks injection on input, so some probes name the detector that caught them.
    const redTeam = await keel.admin.redTeam.create({
      target: { type: 'model', model: 'llamacpp:tiny' },
      categories: ['direct_injection'],
      languages: ['en'],
      limit: 4,
      max_new_tokens: 4,
      policy_body: { input: { injection: { action: 'block' } } },
    });
    await keel.admin.evals.wait(seeded.id);
    // The red-team run ends on its own; wait for it (up to a minute).
    for (let tries = 0; tries < 600; tries++) {
      const run = await keel.admin.redTeam.get(redTeam.id);
      if (run.status === 'succeeded') break;
      if (run.status === 'failed' || run.status === 'cancelled')
        throw new Error(`red-team run ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('uploads and previews a dataset, runs it live, drills into an item and compares runs', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/evaluations`);
    await page.getByRole('heading', { name: 'Evaluations', level: 1 }).waitFor();
    const datasets = page.getByRole('table', { name: 'Datasets' });
    await datasets.getByText('seeded-qa', { exact: true }).waitFor();

    await page.getByLabel('Dataset name').fill('uploaded-qa');
    await page.getByLabel('Reference column').fill('answer');
    await page.getByLabel('Upload a dataset (CSV, JSONL)').setInputFiles({
      name: 'qa.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByText('Dataset uploaded-qa version 1 added: 2 rows.').waitFor();
    const preview = page.getByRole('table', { name: 'Preview' });
    await preview.getByText('question: 보증 기간은?').waitFor();
    await preview.getByText('2년입니다').waitFor();

    // A run of the uploaded set, followed live to the end.
    await page.getByLabel('Dataset', { exact: true }).selectOption({ label: 'uploaded-qa' });
    await page.getByLabel('Model', { exact: true }).fill('llamacpp:tiny');
    await page.getByLabel('Max new tokens').fill('4');
    await page.getByLabel('Thresholds').fill('f1 <= 1');
    await page.getByRole('button', { name: 'Start run' }).click();
    const details = page.getByRole('region', { name: 'Run details' });
    await details.getByText('All thresholds met.').waitFor({ timeout: 60_000 });
    const metrics = details.getByRole('table', { name: 'Metrics' });
    await metrics.getByText('exact_match ↑').waitFor();
    await metrics.getByText(/≤ 1 pass/).waitFor();
    await details.getByText('2 of 2 items succeeded, 0 failed.').waitFor();

    // The drill-down: the output against the reference, word by word.
    await details.getByRole('button', { name: 'Item 0' }).click();
    const diff = details.locator('.word-diff');
    await diff.getByText(/Struck-out words are in the reference only/).waitFor();
    await expect.poll(() => diff.locator('del, ins, span').count()).toBeGreaterThan(0);

    // Two finished runs: compare them.
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const comparison = page.getByRole('table', { name: 'Comparison' });
    await comparison.getByText('exact_match').waitFor();
    await screenshot(page, 'evaluations');

    // The red-team report: which detector caught what, per detector and per probe.
    const detectors = page.getByRole('table', { name: 'Caught per detector' });
    const injection = detectors.getByRole('row', { name: /^injection/ });
    await injection.waitFor();
    const caughtCount = Number(await injection.getByRole('cell').first().textContent());
    expect(caughtCount).toBeGreaterThan(0);
    const probes = page.getByRole('table', { name: 'Per probe' });
    await expect.poll(() => probes.getByRole('row').count()).toBe(1 + 4);
    const blocked = probes.getByRole('row').filter({ hasText: 'injection (input, block)' });
    expect(await blocked.count()).toBe(caughtCount);
    expect(await blocked.filter({ hasText: 'Blocked on input' }).count()).toBe(caughtCount);
    expect(await probes.getByRole('row').filter({ hasText: 'Got through' }).count()).toBe(4 - caughtCount);
  });

  it('shows the page in Korean', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/evaluations`);
    await page.getByRole('heading', { name: 'Evaluations', level: 1 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '평가', level: 1 }).waitFor();
    for (const name of ['데이터셋', '실행', '레드팀 보고서'])
      await page.getByRole('heading', { name, level: 2, exact: true }).waitFor();
    await page.getByRole('table', { name: '데이터셋' }).getByText('seeded-qa', { exact: true }).waitFor();
    const asr = page.getByRole('table', { name: '범주·언어별 공격 성공률' });
    await expect.poll(() => asr.getByRole('row').count()).toBeGreaterThan(1);
    await page.getByText(/프로브 4개에 대한 공격 성공률/).waitFor();
    await page.getByRole('table', { name: '탐지기별 차단' }).waitFor();
    await page.getByRole('table', { name: '프로브별 결과' }).getByText('입력에서 차단').first().waitFor();
    await screenshot(page, 'evaluations-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });
});
