/**
 * The Deployments, Monitors and Incidents pages in Chromium against a real `keel serve`: a
 * deployment and a drift monitor made through the API, the live metric charts taking new traffic
 * while the page is open, rollback and traffic split, a monitor made with the form, "run now" with
 * its drift plots, and the incident the monitor's alert opened: acknowledged, noted, resolved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

describe.runIf(chromiumAvailable)('Deployments, Monitors and Incidents pages', () => {
  const ui = signedInConsole();
  let deploymentId: string;

  const invoke = (who: string) =>
    ui.keel.admin.deployments.invoke('greeter', { variables: { who }, parameters: { max_new_tokens: 2 } });

  beforeAll(async () => {
    const { keel } = ui;
    const admin = keel.admin;
    const body = (text: string) => ({
      mode: 'freeform' as const,
      text,
      model_id: 'llamacpp:tiny',
      parameters: { max_new_tokens: 2, decoding_method: 'greedy' as const },
    });
    await admin.prompts.create({ name: 'greet', template: body('Say hello to {{who}}.') });
    await admin.prompts.saveVersion('greet', { base_version: 1, template: body('Greet {{who}} warmly.') });
    const deployment = await admin.deployments.create({
      name: 'Greeter',
      serving_name: 'greeter',
      asset: { type: 'prompt_template', ref: 'greet@1' },
    });
    deploymentId = deployment.id;
    await admin.deployments.update('greeter', { asset: { type: 'prompt_template', ref: 'greet@2' } });
    // The baseline window holds English traffic only; the monitored hour adds Korean.
    const baselineFrom = new Date(Date.now() - 60_000).toISOString();
    for (const who of ['Kim', 'Lee']) await invoke(who);
    const baselineTo = new Date().toISOString();
    for (const who of ['김민수 선생님과 친구들', '이영희 선생님과 가족들']) await invoke(who);
    await admin.monitors.create({
      name: 'greeter drift',
      kind: 'drift',
      deployment_id: deploymentId,
      config: { window_seconds: 3600, baseline_from: baselineFrom, baseline_to: baselineTo },
      // The shift in language mix trips it: the run raises an alert, which opens an incident.
      thresholds: [{ metric: 'language_psi', operator: '>', value: 0.1, severity: 'critical' }],
      // Off the schedule: the test runs it with "Run now".
      enabled: false,
    });
  });

  it('lists the deployment, charts its traffic live, rolls back and splits traffic', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/deployments`);
    await page.getByRole('heading', { name: 'Deployments', level: 1 }).waitFor();
    const list = page.getByRole('table', { name: 'Deployments' });
    const row = list.getByRole('row').filter({ hasText: 'Greeter' });
    expect(await row.textContent()).toContain('Template greet v2');
    expect(await row.textContent()).toContain('Development');
    await row.getByRole('button', { name: 'Greeter' }).click();

    const detail = page.getByRole('region', { name: 'Deployment Greeter' });
    await detail.getByRole('img', { name: 'Requests per minute' }).waitFor();
    for (const chart of ['Latency (p50 / p95 / p99)', 'Tokens per minute', 'Cost per minute', 'Error rate'])
      await detail.getByRole('img', { name: chart }).waitFor();
    const requests = detail.locator('dd[data-metric="requests"]');
    await expect.poll(() => requests.textContent(), { timeout: 20_000 }).toBe('4');
    // New traffic shows up without reloading the page (the charts poll).
    await invoke('Park');
    await expect.poll(() => requests.textContent(), { timeout: 20_000 }).toBe('5');
    expect(
      await detail.getByRole('img', { name: 'Requests per minute' }).locator('rect').count(),
    ).toBeGreaterThan(0);
    await screenshot(page, 'deployments-live');

    await detail.getByRole('button', { name: 'Roll back to v1' }).click();
    await detail.getByText('Now serving v1.').waitFor();
    await expect.poll(() => detail.getByTestId('serving').textContent()).toBe('v1');
    // v1 takes traffic again: the two versions are charted side by side.
    await invoke('Choi');
    const byVersion = detail.getByRole('img', { name: 'Requests per minute by version' });
    await byVersion.waitFor({ timeout: 20_000 });
    expect(await byVersion.locator('rect title').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/v1: 1$/), expect.stringMatching(/v2: /)]),
    );
    await detail.getByRole('img', { name: 'p95 latency by version' }).waitFor();

    await detail.getByLabel('First version').selectOption('1');
    await detail.getByLabel('Second version').selectOption('2');
    await detail.getByLabel('Share of the first (%)').fill('80');
    await detail.getByRole('button', { name: 'Split traffic' }).click();
    await expect.poll(() => detail.getByTestId('serving').textContent()).toBe('v1 80% / v2 20%');
    const split = await keel.admin.deployments.get('greeter');
    expect(split.split?.versions).toEqual([
      { version: 1, weight: 80 },
      { version: 2, weight: 20 },
    ]);
    await detail.getByRole('button', { name: 'End split' }).click();
    await expect.poll(() => detail.getByTestId('serving').textContent()).toBe('v1');
  });

  it('creates a monitor with the form, runs the drift monitor now and plots its drift', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/monitors`);
    await page.getByRole('heading', { name: 'Monitors', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'New monitor' });
    await form.getByLabel('Name').fill('greeter errors');
    await form.getByLabel('Kind').selectOption('traffic');
    await form.getByLabel('Deployment').selectOption({ label: 'Greeter' });
    await form.getByRole('button', { name: 'Add threshold' }).click();
    await form.getByLabel('Metric').fill('error_rate');
    await form.getByLabel('Value').fill('0.5');
    await form.getByRole('button', { name: 'Create monitor' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const monitors = page.getByRole('table', { name: 'Monitors' });
    await monitors
      .getByRole('row')
      .filter({ hasText: 'greeter errors' })
      .getByText('error_rate > 0.5')
      .waitFor();
    const created = (await keel.admin.monitors.list()).find((monitor) => monitor.name === 'greeter errors')!;
    expect(created).toMatchObject({ kind: 'traffic', deployment_id: deploymentId });

    // Editing: the selected monitor's form saves changes.
    const edit = page.getByRole('form', { name: 'Edit monitor greeter errors' });
    await edit.getByLabel('Run every (seconds)').fill('120');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await keel.admin.monitors.get(created.id)).interval_seconds).toBe(120);

    await monitors.getByRole('button', { name: 'greeter drift' }).click();
    const results = page.getByRole('region', { name: 'Results of greeter drift' });
    await results.getByText('No runs yet: run the monitor now.').waitFor();
    await results.getByRole('button', { name: 'Run now' }).click();
    await results.getByText('Run done; alerts raised: 1.').waitFor();
    const drift = results.getByRole('region', { name: 'Drift against the baseline' });
    const psi = drift.getByRole('img', { name: 'Population stability index (PSI)' });
    // Language mix and input length moved against the baseline: their PSI points are drawn.
    await expect.poll(() => psi.locator('circle').count()).toBeGreaterThan(0);
    expect(await psi.locator('circle title').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Language mix: \d/)]),
    );
    await drift.getByRole('img', { name: 'Refusal rate' }).waitFor();
    const mix = drift.getByRole('list', { name: 'Language mix (latest run)' });
    await mix.locator('li[data-language="ko"]').waitFor();
    expect(await mix.locator('li').count()).toBeGreaterThanOrEqual(2);
    // Korean is new: 0% of the baseline.
    expect(await mix.locator('li[data-language="ko"]').textContent()).toMatch(/%0%$/);
    // The latest run's values, the inputs' mean length among them.
    await results.getByRole('table', { name: 'Values' }).getByText('input_length_mean').waitFor();
    await screenshot(page, 'monitors-drift');
  });

  it('acknowledges, notes and resolves the incident the alert opened; lists the alert', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/incidents`);
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    const alerts = page.getByRole('table', { name: 'Alerts' });
    await alerts
      .getByRole('row')
      .filter({ hasText: 'greeter drift' })
      .getByText('language_psi > 0.1')
      .waitFor();

    await page.getByLabel('Status').selectOption('open');
    const incidents = page.getByRole('table', { name: 'Incidents' });
    const open = incidents.locator('tbody tr');
    await expect.poll(() => open.count()).toBe(1);
    await open.getByRole('button').click();
    const detail = page.locator('.incident-detail');
    await expect.poll(() => detail.getByTestId('incident-status').textContent()).toBe('Open');
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => detail.getByTestId('incident-status').textContent()).toBe('Acknowledged');
    await detail.getByLabel('Add a note').fill('Korean traffic started on purpose: new market.');
    await detail.getByRole('button', { name: 'Add note' }).click();
    await detail
      .getByRole('list', { name: 'Notes' })
      .getByText('Korean traffic started on purpose')
      .waitFor();
    await detail.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => detail.getByTestId('incident-status').textContent()).toBe('Resolved');
    const stored = await keel.admin.monitors.incidents({ status: 'resolved' });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.notes.map((note) => note.text)).toContain(
      'Korean traffic started on purpose: new market.',
    );

    await page.getByLabel('Status').selectOption('open');
    await expect.poll(() => incidents.count()).toBe(0);
    await page.getByText('No incidents.').waitFor();
    await screenshot(page, 'incidents');
  });

  it('reads in Korean', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '인시던트', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: '주 메뉴' });
    await nav.getByRole('link', { name: '배포' }).click();
    await page.getByRole('heading', { name: '배포', level: 1 }).waitFor();
    await page.getByRole('table', { name: '배포' }).getByText('템플릿 greet v1').waitFor();
  });
});
