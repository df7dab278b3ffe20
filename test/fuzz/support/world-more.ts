/**
 * @module test/fuzz/support/world-more
 * Project B's objects of the newer modules: a dataset and an evaluation run, a use case with an
 * approach, a tracked asset and a risk assessment, a space, a deployment of B's template and a
 * monitor on it, and a data source (one table). Like the rest of the world they carry marker
 * strings, so any of them in an answer to an outsider is a leak.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv } from '../../../src/server/context.js';
import { minimalRiskAnswers } from '../../../src/testing/risk-answers.js';
import { TEST_ADMIN_KEY } from '../../../src/testing/test-keel.js';
import { send } from './send.js';

export const moreMarkers = {
  datasetDescription: 'bsecret-dataset-desc-6104',
  useCasePurpose: 'bsecret-use-case-purpose-8842',
  spaceDescription: 'bsecret-space-desc-1907',
  deploymentDescription: 'bsecret-deployment-desc-4476',
  monitorName: 'bsecret-monitor-3351',
  dataDescription: 'bsecret-data-desc-5038',
};

export interface MoreObjects {
  dataset: string;
  evaluationId: string;
  useCaseId: string;
  assetId: string;
  assessmentId: string;
  space: string;
  spaceId: string;
  deployment: string;
  deploymentId: string;
  monitorId: string;
  dataTable: string;
}

/** Answers to the built-in questionnaire that make a minimal-risk use case. */
export const benignAnswers = minimalRiskAnswers();

type Step = <T>(name: string, fallback: T, build: () => Promise<T>) => Promise<T>;

export async function buildMore(
  app: OpenAPIHono<KeelEnv>,
  projectB: string,
  template: string,
  step: Step,
): Promise<MoreObjects> {
  const inB = { 'x-keel-project': projectB };
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await send(app, {
      method,
      path,
      headers: inB,
      key: TEST_ADMIN_KEY,
      ...(body !== undefined ? { body } : {}),
    });
    if (answer.status >= 300)
      throw new Error(`fixture ${method} ${path} answered ${answer.status}: ${answer.text}`);
    return (answer.json ?? {}) as Record<string, unknown>;
  };
  const id = (value: Record<string, unknown>) => value.id as string;

  const dataset = 'bsecret-dataset';
  await step('dataset', undefined, () =>
    call('POST', '/api/v1/datasets', {
      name: dataset,
      description: moreMarkers.datasetDescription,
      rows: [
        { question: 'b a', answer: 'a b' },
        { question: 'd c', answer: 'c d' },
      ],
      mapping: { input: ['question'], reference: 'answer' },
    }),
  );
  const evaluationId = await step('evaluation', 'evl_fuzz_missing', async () =>
    id(
      await call('POST', '/api/v1/evaluations', {
        target: { kind: 'model', model: 'echo:reverse' },
        dataset,
        metrics: ['exact_match'],
      }),
    ),
  );
  const useCaseId = await step('use case', 'uc_fuzz_missing', async () =>
    id(
      await call('POST', '/api/v1/use-cases', {
        name: 'bsecret use case',
        purpose: moreMarkers.useCasePurpose,
        approach: { name: 'prompted' },
      }),
    ),
  );
  const assetId = await step('asset', 'ast_fuzz_missing', async () =>
    id(
      await call('POST', '/api/v1/assets', {
        use_case_id: useCaseId,
        kind: 'prompt_template',
        ref: template,
      }),
    ),
  );
  const assessmentId = await step('risk assessment', 'ra_fuzz_missing', async () =>
    id(await call('POST', '/api/v1/risk-assessments', { use_case_id: useCaseId, answers: benignAnswers })),
  );
  const space = 'bsecret-space';
  const spaceId = await step('space', 'spc_fuzz_missing', async () =>
    id(await call('POST', '/api/v1/spaces', { name: space, description: moreMarkers.spaceDescription })),
  );
  const deployment = 'bsecret-deployment';
  const deploymentId = await step('deployment', 'dep_fuzz_missing', async () =>
    id(
      await call('POST', '/api/v1/deployments', {
        space,
        name: deployment,
        serving_name: deployment,
        description: moreMarkers.deploymentDescription,
        asset: { type: 'prompt_template', ref: template },
        model: 'echo:reverse',
      }),
    ),
  );
  const monitorId = await step('monitor', 'mon_fuzz_missing', async () =>
    id(
      await call('POST', '/api/v1/monitors', {
        name: moreMarkers.monitorName,
        kind: 'traffic',
        deployment_id: deploymentId,
        enabled: false,
      }),
    ),
  );
  const dataTable = 'bsecret_sales';
  await step('data source', undefined, async () => {
    const form = new FormData();
    form.set('file', new File(['region,amount\nnorth,1\nsouth,2\n'], 'sales.csv', { type: 'text/csv' }));
    form.set('name', dataTable);
    form.set('description', moreMarkers.dataDescription);
    const encoded = new Response(form);
    const answer = await send(app, {
      method: 'POST',
      path: '/api/v1/data/sources',
      headers: inB,
      key: TEST_ADMIN_KEY,
      rawBody: new Uint8Array(await encoded.arrayBuffer()),
      contentType: encoded.headers.get('content-type'),
    });
    if (answer.status >= 300)
      throw new Error(`fixture data source answered ${answer.status}: ${answer.text}`);
  });
  return {
    dataset,
    evaluationId,
    useCaseId,
    assetId,
    assessmentId,
    space,
    spaceId,
    deployment,
    deploymentId,
    monitorId,
    dataTable,
  };
}
