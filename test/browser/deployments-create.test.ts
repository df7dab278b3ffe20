/**
 * The deployment create form and the fairness plot in Chromium against a real `keel serve` whose
 * model is a fake OpenAI-compatible upstream on 127.0.0.1 answering as a classifier would
 * ("approved" / "denied"): a deployment made with the form (the API's validation errors shown
 * beside the field they name, limits and a traffic split set), traffic with a protected
 * attribute, a fairness monitor made with the form and run twice, and its disparate impact
 * plotted against the 0.8 threshold.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

describe.runIf(chromiumAvailable)('Deployment create form and fairness plot', () => {
  let upstream: FakeUpstream;
  let work: string;
  const ui = signedInConsole(async () => {
    upstream = await startFakeOpenAI({ reply: 'approved', models: ['classifier'] });
    work = await mkdtemp(path.join(tmpdir(), 'keel-browser-config-'));
    const config = path.join(work, 'keel.yaml');
    await writeFile(
      config,
      `providers:\n  - type: openai-compatible\n    name: fake\n    baseURL: ${upstream.url}/v1\n    models: [classifier]\n`,
    );
    return { KEEL_CONFIG: config, KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' };
  });
  afterAll(async () => {
    await upstream?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  beforeAll(async () => {
    const body = (text: string) => ({
      mode: 'freeform' as const,
      text,
      model_id: 'fake:classifier',
      parameters: { max_new_tokens: 4, decoding_method: 'greedy' as const },
    });
    await ui.keel.admin.prompts.create({
      name: 'loan',
      template: body('Decide on the loan for {{applicant}}.'),
    });
    await ui.keel.admin.prompts.saveVersion('loan', {
      base_version: 1,
      template: body('Decide, approved or denied, on the loan for {{applicant}}.'),
    });
  });

  it('creates a deployment with the form, showing the API’s validation errors beside their fields', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/deployments`);
    await page.getByRole('heading', { name: 'Deployments', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New deployment' }).click();
    const form = page.getByRole('form', { name: 'New deployment' });
    await form.getByLabel('Name', { exact: true }).fill('Loan desk');
    // Not a serving name (capitals, a space): the API's edge validation refuses it.
    await form.getByLabel('Serving name (optional)').fill('Loan Desk');
    expect(await form.getByLabel('Space', { exact: true }).locator('option:checked').textContent()).toBe(
      'default (Development)',
    );
    await form.getByLabel('Pinned version (name@version)').fill('loan@1');
    await form.getByLabel('Tokens per minute').fill('5000');
    // A negative budget: refused by the limits API after the deployment was made.
    await form.getByLabel('Token budget').fill('-5');
    await form.getByLabel('Budget period').selectOption('day');
    await form.getByLabel('Split traffic with a second version').check();
    await form.getByLabel('Second version (name@version)').fill('loan@2');
    await form.getByLabel('Share of the first (%)').fill('75');
    await form.getByRole('button', { name: 'Create deployment' }).click();

    const serving = form.getByLabel('Serving name (optional)');
    await expect.poll(() => serving.getAttribute('aria-invalid')).toBe('true');
    const servingProblem = form.locator(`[id="${await serving.getAttribute('aria-describedby')}"]`);
    expect(await servingProblem.textContent()).toMatch(/lower-case letters, digits/);
    await form.getByRole('alert').getByText('invalid_request').waitFor();
    expect((await keel.admin.deployments.list()).deployments).toHaveLength(0);

    await serving.fill('loan-desk');
    await form.getByRole('button', { name: 'Create deployment' }).click();
    // The deployment is made; the budget is marked where it was typed, the rest waits.
    await form.getByText('Deployment Loan desk was created; fix what is marked and finish.').waitFor();
    const budget = form.getByLabel('Token budget');
    await expect.poll(() => budget.getAttribute('aria-invalid')).toBe('true');
    expect(
      await form.locator(`[id="${await budget.getAttribute('aria-describedby')}"]`).textContent(),
    ).toMatch(/>=\s*0|too small|greater than or equal/i);
    expect(await serving.getAttribute('aria-invalid')).toBeNull();
    await budget.fill('20000');
    await screenshot(page, 'deployment-create-form');
    await form.getByRole('button', { name: 'Finish' }).click();

    await page.getByRole('status').filter({ hasText: 'Deployment Loan desk created.' }).waitFor();
    const row = page
      .getByRole('table', { name: 'Deployments' })
      .getByRole('row')
      .filter({ hasText: 'Loan desk' });
    await row.getByText('v1 75% / v2 25%').waitFor();
    const [made] = (await keel.admin.deployments.list()).deployments;
    // The second version was added (and serves), then the split shares traffic between both.
    expect(made).toMatchObject({ name: 'Loan desk', serving_name: 'loan-desk', current_version: 2 });
    expect(made!.split?.versions).toEqual([
      { version: 1, weight: 75 },
      { version: 2, weight: 25 },
    ]);
    expect(made!.versions.map((version) => `${version.asset.name}@${version.asset.version}`)).toEqual([
      'loan@1',
      'loan@2',
    ]);
    const limits = await keel.admin.limits.list({ scope_type: 'deployment', scope_id: made!.id });
    expect(
      limits
        .map((limit) => [limit.metric, limit.limit, limit.period])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([
      ['token_budget', 20000, 'day'],
      ['tokens_per_minute', 5000, 'minute'],
    ]);
  });

  it('plots a fairness monitor’s disparate impact per run against the 0.8 threshold', async () => {
    const { keel, page } = ui;
    const invoke = (group: string, index: number) =>
      keel.admin.deployments.invoke(
        'loan-desk',
        { variables: { applicant: `applicant ${group}${index}` }, attributes: { group } },
        { requestId: `fair-${group}-${index}` },
      );
    const logged = async (count: number) =>
      expect
        .poll(async () => (await keel.admin.deployments.metrics('loan-desk')).totals.requests, {
          timeout: 20_000,
        })
        .toBe(count);
    // First both groups are approved alike.
    for (let i = 0; i < 4; i++) for (const group of ['a', 'b']) await invoke(group, i);
    await logged(8);

    await page.goto(`${keel.url}/monitors`);
    await page.getByRole('heading', { name: 'Monitors', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'New monitor' });
    await form.getByLabel('Name').fill('loan fairness');
    await form.getByLabel('Kind').selectOption('fairness');
    await form.getByLabel('Deployment').selectOption({ label: 'Loan desk' });
    await form.getByLabel('Protected attribute').fill('group');
    await form.getByLabel('Favourable outcomes (comma-separated)').fill('approved');
    await form.getByRole('button', { name: 'Add threshold' }).click();
    await form.getByLabel('Metric').fill('disparate_impact');
    await form.getByLabel('Operator').selectOption('<');
    await form.getByLabel('Value').fill('0.8');
    await form.getByRole('button', { name: 'Create monitor' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const created = (await keel.admin.monitors.list()).find((monitor) => monitor.name === 'loan fairness')!;
    expect(created.config).toMatchObject({ attribute: 'group', favourable: ['approved'] });

    await page
      .getByRole('table', { name: 'Monitors' })
      .getByRole('button', { name: 'loan fairness' })
      .click();
    const results = page.getByRole('region', { name: 'Results of loan fairness' });
    await results.getByRole('button', { name: 'Run now' }).click();
    await results.getByText('Run done; alerts raised: 0.').waitFor();
    const fairness = results.getByRole('region', { name: 'Fairness across the protected attribute' });
    await fairness.getByText('Disparate impact 1 is at or above the 0.8 threshold.').waitFor();

    // Then group b is mostly denied: 4 of 10 approved against a's 4 of 4.
    upstream.configure({ reply: 'denied' });
    for (let i = 4; i < 10; i++) await invoke('b', i);
    await logged(14);
    await results.getByRole('button', { name: 'Run now' }).click();
    await results.getByText('Run done; alerts raised: 1.').waitFor();
    await fairness.getByText('Disparate impact 0.4 is below the 0.8 threshold.').waitFor();

    const impact = fairness.getByRole('img', { name: 'Disparate impact per run' });
    await expect.poll(() => impact.locator('circle').count()).toBe(2);
    expect(await impact.locator('circle title').allTextContents()).toEqual([
      expect.stringMatching(/Disparate impact: 1$/),
      expect.stringMatching(/Disparate impact: 0\.4$/),
    ]);
    expect(await impact.locator('[data-reference="0.8"] title').textContent()).toBe(
      '0.8 threshold (four-fifths rule)',
    );
    const rates = fairness.getByRole('img', { name: 'Favourable rate per group' });
    expect(await rates.locator('circle title').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/b: 40%$/), expect.stringMatching(/a: 100%$/)]),
    );
    const groups = fairness.getByRole('table', { name: 'Groups (latest run)' });
    // Group b: 10 outputs, 4 favourable, 40%.
    expect(await groups.locator('tr[data-group="b"]').textContent()).toBe('b10440%');
    expect(await fairness.locator('dd[data-metric="statistical_parity_difference"]').textContent()).toBe(
      '-0.6',
    );
    await screenshot(page, 'monitors-fairness');

    await page.getByRole('button', { name: '한국어' }).click();
    const korean = page.getByRole('region', { name: '보호 속성별 공정성' });
    await korean.getByText('불균형 영향 0.4이(가) 기준선 0.8보다 낮습니다.').waitFor();
    await korean.getByRole('img', { name: '실행별 불균형 영향' }).waitFor();
  });
});
