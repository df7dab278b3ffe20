import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactItem, Factsheet } from '../../../api/factsheets.js';
import type { TemplateBody } from '../../../api/prompts.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

/**
 * Factsheets capture what other modules recorded, not what someone typed into the inventory: the
 * content digest of the evaluation dataset, the results and thresholds of a real Keel evaluation
 * run, and the deployments, monitors and incidents serving a governed template version — the
 * deployment itself untracked.
 */
let keel: TestKeel;
const project = () => keel.services.installation.defaultProjectId;

const body: TemplateBody = {
  mode: 'freeform',
  text: 'Reverse {{question}}',
  variables: [{ name: 'question', type: 'string' }],
  model_id: 'echo:reverse',
};

const { admin: call } = keyedCalls(() => keel);

const section = (sheet: Factsheet, id: string): FactItem[] =>
  sheet.sections.find((entry) => entry.id === id)?.items ?? [];

let sheet: Factsheet;
let runId: string;
let contentHash: string;
let deploymentId: string;
let monitorId: string;
let incidentId: string;

beforeAll(async () => {
  keel = await createTestKeel();
  const caller = { projectId: project(), actor: null };
  await keel.services.evals.datasets.add(caller, {
    name: 'tickets',
    mapping: { input: ['question'], reference: 'answer' },
    rows: [
      { question: 'a b', answer: 'b a' },
      { question: 'c d', answer: 'd c' },
    ],
  });
  contentHash = (await keel.services.evals.datasets.get(project(), 'tickets')).version!.content_hash;
  const created = await keel.services.evals.runs.create(caller, {
    target: { kind: 'model', model: 'echo:reverse' },
    dataset: 'tickets',
    metrics: ['exact_match'],
    thresholds: [{ metric: 'exact_match', min: 0 }],
  });
  const run = await keel.services.evals.runs.wait(project(), created.id);
  expect(run.status).toBe('succeeded');
  runId = run.id;

  expect((await call('/api/v1/prompts', { json: { name: 'reverser', template: body } })).status).toBe(201);
  const useCase = await call('/api/v1/use-cases', {
    json: { name: 'reversal', approach: { name: 'echo', thresholds: { exact_match: { min: 0 } } } },
  });
  const useCaseId = useCase.body.id as string;
  for (const asset of [
    { kind: 'prompt_template', ref: 'reverser', version: 1 },
    { kind: 'evaluation_run', ref: runId },
    { kind: 'dataset', ref: 'tickets' },
  ])
    expect((await call('/api/v1/assets', { json: { use_case_id: useCaseId, ...asset } })).status).toBe(201);

  // Deployed (the deployment is not tracked), watched by a monitor that raised an incident.
  const deployment = await call('/api/v1/deployments', {
    json: { name: 'reverser-dev', asset: { type: 'prompt_template', ref: 'reverser@1' } },
  });
  expect(deployment.status).toBe(201);
  deploymentId = deployment.body.id;
  const monitor = await call('/api/v1/monitors', {
    json: {
      name: 'reverser traffic',
      kind: 'traffic',
      deployment_id: deploymentId,
      thresholds: [{ metric: 'error_rate', operator: '>', value: 0.1, severity: 'critical' }],
      interval_seconds: 60,
    },
  });
  expect(monitor.status).toBe(201);
  monitorId = monitor.body.id;
  const incident = await keel.services.incidents.openFor(
    { id: monitorId, projectId: project(), deploymentId, name: 'reverser traffic' },
    'critical',
    'error rate above 10%',
  );
  incidentId = incident.id;

  const res = await call(`/api/v1/factsheets/${useCaseId}`);
  expect(res.status).toBe(200);
  sheet = res.body;
});
afterAll(async () => {
  await keel?.close();
});

describe('factsheets capture from events', () => {
  it('records the content digest of the evaluation dataset, on the tracked dataset and for the run', async () => {
    const datasets = section(sheet, 'datasets');
    expect(datasets).toHaveLength(1);
    expect(datasets[0]!.fields).toMatchObject({
      ref: 'tickets',
      dataset_version: 1,
      content_hash: contentHash,
      rows: 2,
      evaluated_by_runs: runId,
    });
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("records a Keel evaluation run's metrics, its thresholds and the approach's, with the dataset digest", async () => {
    const [evaluation] = section(sheet, 'evaluations');
    expect(evaluation!.fields).toMatchObject({
      ref: runId,
      source: 'keel_run',
      'run.status': 'succeeded',
      'run.passed': true,
      'run.threshold.exact_match': '≥ 0',
      'run.pass.exact_match': true,
      'threshold.exact_match': '≥ 0',
      'pass.exact_match': true,
      'metric.exact_match': expect.any(Number),
      'dataset.name': 'tickets',
      'dataset.content_hash': contentHash,
      meets_thresholds: true,
    });
  });

  it('records the untracked deployment serving the governed template version, its monitor and incident', async () => {
    const deployments = section(sheet, 'deployments');
    expect(deployments.find((item) => item.fields.deployment === deploymentId)?.fields).toMatchObject({
      served_version: 1,
      serves: 'reverser',
      tracked: false,
    });
    expect(deployments.some((item) => item.label === 'deployment.create')).toBe(true);
    const monitors = section(sheet, 'monitors');
    expect(monitors.find((item) => item.fields.monitor === monitorId)).toMatchObject({
      label: 'reverser traffic',
      fields: { kind: 'traffic', deployment: deploymentId, enabled: true },
    });
    expect(monitors.some((item) => item.label === 'monitor.create')).toBe(true);
    const incidents = section(sheet, 'incidents');
    expect(incidents.find((item) => item.fields.incident === incidentId)).toMatchObject({
      label: 'error rate above 10%',
      fields: { severity: 'critical', status: 'open', deployment: deploymentId },
    });
    expect(incidents.some((item) => item.label === 'incident.open')).toBe(true);
    // The outlines no longer mark these as gaps.
    expect(sheet.sections.find((entry) => entry.id === 'monitors')!.empty).toBe(false);
  });
});
