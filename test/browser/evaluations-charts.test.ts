/**
 * The Evaluations page's charts in Chromium against a real `keel serve`: runs created through the
 * API (three of one model, one of another, on one dataset) appear as one point per run in each
 * metric's trend chart, with interval whiskers where the run has an interval and the threshold as
 * a line; switching the target redraws the points; comparing two runs draws one bar per compared
 * metric. English and Korean.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationJson } from '../../src/api/evals.js';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

const csv = [
  'question,answer',
  '보증 기간은?,2년입니다',
  'What is the capital of France?,Paris',
  '환불은 며칠 안에 되나요?,7일 이내',
  'Who wrote Hamlet?,Shakespeare',
].join('\n');

describe.runIf(chromiumAvailable)('Evaluations page charts', () => {
  const ui = signedInConsole();
  /** Oldest first. */
  const tinyRuns: EvaluationJson[] = [];
  let koRun: EvaluationJson;

  beforeAll(async () => {
    const { keel } = ui;
    const { dataset } = await keel.admin.evals.addDataset({
      name: 'charted-qa',
      content: csv,
      format: 'csv',
      mapping: { reference: 'answer' },
    });
    const run = async (model: string, name: string, seed: number) => {
      const created = await keel.admin.evals.create({
        name,
        dataset: dataset.id,
        target: { kind: 'model', model, parameters: { max_new_tokens: 4, random_seed: seed } },
        metrics: ['exact_match', 'f1'],
        thresholds: [{ metric: 'f1', min: 0 }],
      });
      return keel.admin.evals.wait(created.id);
    };
    // The other model first: the newest run (and so the first target shown) is llamacpp:tiny.
    koRun = await run('llamacpp:tiny-ko', 'ko run', 1);
    for (const seed of [1, 2, 3]) tinyRuns.push(await run('llamacpp:tiny', `tiny run ${seed}`, seed));
  });

  it('draws one point per run for each metric, with intervals and the threshold, per target', async () => {
    const { keel, page } = ui;
    for (const run of [...tinyRuns, koRun]) expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    const metrics = Object.keys(tinyRuns[0]!.aggregates!.metrics).sort();
    expect(metrics).toEqual(expect.arrayContaining(['exact_match', 'f1']));
    await page.goto(`${keel.url}/evaluations`);
    await page.getByRole('heading', { name: 'Evaluations', level: 1 }).waitFor();
    const trends = page.getByRole('region', { name: 'Metric trends' });
    await expect.poll(() => trends.getByLabel('Dataset to chart').inputValue()).not.toBe('');
    const target = trends.getByLabel('Evaluated target');
    await expect.poll(() => target.inputValue()).toBe('model · llamacpp:tiny');
    await expect
      .poll(() => target.locator('option').allTextContents())
      .toEqual(['model · llamacpp:tiny', 'model · llamacpp:tiny-ko']);

    const charts = trends.locator('figure.score-chart');
    await expect.poll(() => charts.count()).toBe(metrics.length);
    for (const metric of metrics) {
      const chart = trends.locator(`figure.score-chart[data-metric="${metric}"]`);
      await expect.poll(() => chart.locator('.score-point').count()).toBe(3);
      // The points are the runs, oldest first.
      await expect
        .poll(() =>
          chart
            .locator('.score-point')
            .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-run'))),
        )
        .toEqual(tinyRuns.map((run) => run.id));
      const withInterval = tinyRuns.filter((run) => run.aggregates!.metrics[metric]!.ci !== null).length;
      await expect.poll(() => chart.locator('.score-whisker').count()).toBe(withInterval);
      await expect.poll(() => chart.locator('.score-threshold').count()).toBe(metric === 'f1' ? 1 : 0);
      // The numbers are in a table too (hidden, for screen readers).
      await expect.poll(() => chart.getByRole('table').getByRole('row').count()).toBe(4);
    }
    await trends.getByRole('img', { name: 'f1 ↑ by run' }).waitFor();

    // The other model: its one run.
    await target.selectOption({ label: 'model · llamacpp:tiny-ko' });
    const f1 = trends.locator('figure.score-chart[data-metric="f1"]');
    await expect
      .poll(() =>
        f1.locator('.score-point').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-run'))),
      )
      .toEqual([koRun.id]);
    await screenshot(page, 'evaluations-trends');
  });

  it('compares two runs as a chart: one bar per compared metric, coloured by verdict', async () => {
    const { keel, page } = ui;
    const [a, b] = [tinyRuns[0]!, koRun];
    const expected = await keel.admin.evals.compare(a.id, b.id, { limit: 1 });
    expect(expected.metrics.length).toBeGreaterThan(0);
    await page.goto(`${keel.url}/evaluations`);
    const compare = page.getByRole('region', { name: 'Compare two runs' });
    await compare.getByLabel('Run A').selectOption(a.id);
    await compare.getByLabel('Run B').selectOption(b.id);
    await compare.getByRole('button', { name: 'Compare', exact: true }).click();
    const chart = compare.locator('figure.difference-chart');
    await chart.getByRole('img', { name: 'Difference per metric (B − A) with its interval' }).waitFor();
    await expect
      .poll(() =>
        chart
          .locator('.difference-row')
          .evaluateAll((rows) =>
            rows.map((row) => [row.getAttribute('data-metric'), row.getAttribute('data-verdict')]),
          ),
      )
      .toEqual(expected.metrics.map((metric) => [metric.metric, metric.verdict]));
    await expect.poll(() => chart.locator('.difference-whisker').count()).toBe(expected.metrics.length);
    // The same comparison as a table.
    await expect
      .poll(() => compare.getByRole('table', { name: 'Comparison' }).getByRole('row').count())
      .toBe(expected.metrics.length + 1);
    // Each metric names how it was compared (paired over shared items, else unpaired) and whether
    // the difference is significant.
    const table = compare.getByRole('table', { name: 'Comparison' });
    for (const metric of expected.metrics) {
      const row = table.getByRole('row', { name: new RegExp(`^${metric.metric}\\b`) });
      await row
        .getByText(
          metric.method === 'paired'
            ? `Paired, ${metric.n} items`
            : `Unpaired, ${metric.n_a} + ${metric.n_b} items`,
        )
        .waitFor();
      await row.getByRole('cell', { name: metric.significant ? 'Yes' : 'No', exact: true }).waitFor();
    }
    await screenshot(page, 'evaluations-compare-chart');
  });

  it('labels the charts in Korean', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/evaluations`);
    await page.getByRole('heading', { name: 'Evaluations', level: 1 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    const trends = page.getByRole('region', { name: '지표 추이' });
    await trends.getByRole('img', { name: '실행별 f1 ↑' }).waitFor();
    await trends.getByLabel('평가 대상').waitFor();
    await expect
      .poll(() => trends.locator('figure.score-chart[data-metric="f1"] .score-point').count())
      .toBe(3);
    const compare = page.getByRole('region', { name: '두 실행 비교' });
    await compare.getByRole('button', { name: '비교', exact: true }).click();
    await compare.getByRole('img', { name: '지표별 차이 (B − A)와 신뢰 구간' }).waitFor();
    await screenshot(page, 'evaluations-charts-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });
});
