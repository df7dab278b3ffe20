import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactItem, Factsheet } from '../../../api/factsheets.js';
import { createHttpProvider } from '../../../models/providers/http/index.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import {
  type FakeUpstream,
  fakeHttpModelPath,
  fakeHttpModelTemplate,
  startFakeHttpModel,
} from '../../../testing/fake-upstreams/index.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

/**
 * An external model governed end to end: a prediction endpoint of its own shape on 127.0.0.1,
 * reached through keel.yaml's `http` provider (with the private-network allowance set), answers
 * through the gateway and in a Keel evaluation run; the run's metrics and thresholds land in the
 * factsheet of the use case that tracks the external model.
 */
let endpoint: FakeUpstream;
let keel: TestKeel;
const token = 'endpoint-token-abcdef0123456789';
const project = () => keel.services.installation.defaultProjectId;

const { admin: call } = keyedCalls(() => keel);

beforeAll(async () => {
  endpoint = await startFakeHttpModel({ answer: (prompt) => prompt.toUpperCase(), token });
  process.env.KEEL_TEST_CLAIMS_TOKEN = token;
  keel = await createTestKeel({
    config: {
      security: { allowPrivateNetworkFetch: true },
      providers: [
        {
          type: 'http',
          name: 'claims',
          baseURL: `${endpoint.url}${fakeHttpModelPath}`,
          headersEnv: { 'x-api-token': 'KEEL_TEST_CLAIMS_TOKEN' },
          models: ['scorer'],
          ...fakeHttpModelTemplate,
        },
      ],
    },
    providers: (config) => [
      createEchoProvider(),
      ...config.providers.map((entry) =>
        createHttpProvider(entry as never, { allowPrivateNetwork: config.security.allowPrivateNetworkFetch }),
      ),
    ],
  });
});
afterAll(async () => {
  await keel?.close();
  await endpoint?.close();
  delete process.env.KEEL_TEST_CLAIMS_TOKEN;
});

describe('an external model behind an http endpoint', () => {
  it('answers through the gateway', async () => {
    const res = await call('/v1/chat/completions', {
      json: { model: 'claims:scorer', messages: [{ role: 'user', content: 'late parcel' }], max_tokens: 16 },
    });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe('LATE PARCEL');
    expect(res.body.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 2 });
    const sent = endpoint.requests.at(-1)!;
    expect(sent.headers['x-api-token']).toBe(token);
    expect(sent.body).toMatchObject({ deployment: 'scorer', instances: [{ prompt: 'late parcel' }] });
  });

  it("is evaluated inside Keel, and the run's metrics and thresholds show in its factsheet", async () => {
    const caller = { projectId: project(), actor: null };
    await keel.services.evals.datasets.add(caller, {
      name: 'claims-eval',
      mapping: { input: ['question'], reference: 'answer' },
      rows: [
        { question: 'approve', answer: 'APPROVE' },
        { question: 'deny', answer: 'DENY' },
        { question: 'refer', answer: 'escalate' },
        { question: 'pay', answer: 'PAY' },
      ],
    });
    const created = await keel.services.evals.runs.create(caller, {
      target: { kind: 'model', model: 'claims:scorer' },
      dataset: 'claims-eval',
      metrics: ['exact_match'],
      thresholds: [{ metric: 'exact_match', min: 0.7 }],
    });
    const run = await keel.services.evals.runs.wait(project(), created.id);
    expect(run.status).toBe('succeeded');
    expect(run.aggregates?.metrics.exact_match?.score).toBeCloseTo(0.75);

    const useCase = await call('/api/v1/use-cases', {
      json: {
        name: 'claims triage',
        approach: { name: 'vendor scorer', thresholds: { exact_match: { min: 0.7 } } },
      },
    });
    expect(useCase.status).toBe(201);
    const useCaseId = useCase.body.id as string;
    const external = await call('/api/v1/assets', {
      json: {
        use_case_id: useCaseId,
        kind: 'external_model',
        ref: 'claims:scorer',
        external: {
          endpoint_url: `${endpoint.url}${fakeHttpModelPath}`,
          platform: 'http',
          owner: 'claims team',
        },
      },
    });
    expect(external.status).toBe(201);
    const tracked = await call('/api/v1/assets', {
      json: { use_case_id: useCaseId, kind: 'evaluation_run', ref: run.id },
    });
    expect(tracked.status).toBe(201);

    const res = await call(`/api/v1/factsheets/${useCaseId}`);
    expect(res.status).toBe(200);
    const sheet = res.body as Factsheet;
    const section = (id: string): FactItem[] => sheet.sections.find((entry) => entry.id === id)?.items ?? [];
    expect(section('models').find((item) => item.fields.kind === 'external_model')?.fields).toMatchObject({
      ref: 'claims:scorer',
    });
    const [evaluation] = section('evaluations');
    expect(evaluation!.fields).toMatchObject({
      ref: run.id,
      source: 'keel_run',
      'run.status': 'succeeded',
      'run.target': 'model:claims:scorer',
      'metric.exact_match': 0.75,
      'run.threshold.exact_match': '≥ 0.7',
      'run.pass.exact_match': true,
      'threshold.exact_match': '≥ 0.7',
      'pass.exact_match': true,
      'dataset.name': 'claims-eval',
      meets_thresholds: true,
    });
    // The endpoint's secret header never reaches the factsheet.
    expect(JSON.stringify(sheet)).not.toContain(token);
  });
});
