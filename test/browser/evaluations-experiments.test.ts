/**
 * Experiments and their runs in Chromium against a real `keel serve`: a RAG experiment records one
 * evaluation run per grid point; its view on the Evaluations page lists them with links, a link
 * opens that run's page, and the run's page links back to the experiment — in English and Korean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

describe.runIf(chromiumAvailable)('Experiments on the Evaluations page', () => {
  const ui = signedInConsole();
  let experimentId: string;
  let runIds: string[];

  beforeAll(async () => {
    const { keel } = ui;
    await keel.admin.rag.create({ name: 'manuals' });
    const added = await keel.admin.rag.addDocuments('manuals', [
      {
        name: 'manual.txt',
        text: 'The warranty lasts two years from the date of purchase.\n\nRefunds are paid within 14 days of the return.',
      },
    ]);
    await keel.admin.rag.waitForJob('manuals', added.job!.id);
    const started = await keel.admin.rag.experiment('manuals', {
      questions: [
        { question: 'How long is the warranty?', passages: ['The warranty lasts two years'] },
        { question: 'When are refunds paid?', passages: ['Refunds are paid within 14 days'] },
      ],
      grid: { size: [120, 400], mode: ['keyword'] },
    });
    const done = await keel.admin.rag.waitForExperiment(started.id);
    expect(done.status).toBe('succeeded');
    experimentId = done.id;
    runIds = done.results.map((result) => result.run_id!);
    expect(runIds).toHaveLength(2);
  });

  it('lists the experiment’s runs with links, and a run links back to its experiment', async () => {
    const { keel, page } = ui;
    // The API filters runs by the experiment that recorded them.
    const recorded = await keel.admin.evals.list({ source: experimentId });
    expect(new Set(recorded.evaluations.map((run) => run.id))).toEqual(new Set(runIds));
    for (const run of recorded.evaluations)
      expect(run.source).toMatchObject({ kind: 'rag.experiment', id: experimentId });

    // The experiments among recent runs, each linking to its view.
    await page.goto(`${keel.url}/evaluations`);
    const experiments = page.getByRole('table', { name: 'Experiments' });
    await experiments.getByRole('link', { name: experimentId }).click();
    await page.waitForURL(`**/evaluations?experiment=${experimentId}`);

    const view = page.getByRole('table', { name: 'Runs of the experiment' });
    await page.getByRole('heading', { name: `Experiment ${experimentId}`, level: 2 }).waitFor();
    await expect.poll(() => view.getByRole('row').count()).toBe(1 + runIds.length);
    await view.getByText('point:0000', { exact: true }).waitFor();
    await view.getByText('point:0001', { exact: true }).waitFor();
    const links = view.getByRole('link');
    const hrefs = await links.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('href')));
    expect(new Set(hrefs)).toEqual(new Set(runIds.map((id) => `/evaluations?run=${id}`)));
    await screenshot(page, 'evaluations-experiment');

    // A run link opens that run's page, which names its experiment and grid point.
    const second = (await view.getByRole('row').nth(2).getByRole('link').getAttribute('href'))!;
    await view.getByRole('row').nth(2).getByRole('link').click();
    await page.waitForURL(`**${second}`);
    const details = page.getByRole('region', { name: 'Run details' });
    await details.getByText('Part of RAG experiment').waitFor();
    await details.getByText('grid point point:0001').waitFor();
    const back = details.getByRole('link', { name: experimentId });
    expect(await back.getAttribute('href')).toBe(`/evaluations?experiment=${experimentId}`);
    await back.click();
    await page.waitForURL(`**/evaluations?experiment=${experimentId}`);
    await view.waitFor();

    // A run's page opened directly by its address.
    await page.goto(`${keel.url}/evaluations?run=${runIds[0]}`);
    await page
      .getByRole('region', { name: 'Run details' })
      .getByRole('link', { name: experimentId })
      .waitFor();
  });

  it('shows the experiment view in Korean', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/evaluations?experiment=${experimentId}`);
    await page.getByRole('heading', { name: `Experiment ${experimentId}`, level: 2 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: `실험 ${experimentId}`, level: 2 }).waitFor();
    const view = page.getByRole('table', { name: '실험의 실행' });
    await expect.poll(() => view.getByRole('row').count()).toBe(1 + runIds.length);
    await page.getByText('RAG 실험 · 실행 2개, 그리드 지점마다 하나').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
  });
});
