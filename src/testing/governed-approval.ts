/**
 * @module testing/governed-approval
 * The governance approval flow that serving gates wait for, as tests of governed assets (heads,
 * adapters) run it through the HTTP API: a risk tier for the project, a validator key, and an asset
 * taken develop → validate (a passing validation report) → approve with a `go` decision; and a
 * deployment over the asset, whose serving gate lets only a governed, approved model answer.
 */
import { sdkClient } from './sdk.js';
import type { TestKeel } from './test-keel.js';

/** A call into the test Keel answering `{ status, body }` (the body parsed as JSON, or null). */
export async function callJson(
  keel: TestKeel,
  path: string,
  init: RequestInit & { json?: unknown; key?: string } = {},
) {
  const res = await keel.call(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Gives the project a completed, limited-risk assessment and returns a validator's key. */
export async function prepareGovernance(keel: TestKeel): Promise<{ validatorKey: string }> {
  keel.services.governance.setRisk({
    latest: async () => ({
      tier: 'limited',
      prohibited: false,
      koreaHighImpact: false,
      completedAt: new Date(),
      version: 1,
      scorecard: {},
    }),
  });
  const created = await callJson(keel, '/api/v1/keys', { json: { name: 'validator', role: 'validator' } });
  return { validatorKey: created.body.key as string };
}

/**
 * Uploads `evidence` as the use case's evaluation, moves the asset to validate, files a passing
 * validation report, approves it as the validator and records a `go`. Returns each step's status
 * and whether the decision approved the asset.
 */
export async function approveAsset(
  keel: TestKeel,
  input: {
    assetId: string;
    useCaseId: string;
    validatorKey: string;
    evidence: { ref: string; metrics: Record<string, number> };
  },
): Promise<{ statuses: number[]; approved: boolean }> {
  const { assetId, validatorKey } = input;
  await callJson(keel, '/api/v1/assets', {
    json: {
      use_case_id: input.useCaseId,
      kind: 'evaluation_run',
      ref: input.evidence.ref,
      results: { metrics: input.evidence.metrics },
    },
  });
  const move = (to: string, key?: string) =>
    callJson(keel, `/api/v1/assets/${assetId}/transitions`, { json: { to }, ...(key ? { key } : {}) });
  const develop = await move('develop');
  const validate = await move('validate');
  await callJson(keel, `/api/v1/assets/${assetId}/validation-report`, {
    key: validatorKey,
    json: { summary: 'checked on held-out data', passed: true },
  });
  const approve = await move('approve', validatorKey);
  const decision = await callJson(keel, '/api/v1/approvals', {
    key: validatorKey,
    json: { asset_id: assetId, decision: 'go', reasons: 'the evaluation is fine' },
  });
  return {
    statuses: [develop.status, validate.status, approve.status],
    approved: decision.body?.approved === true,
  };
}

/**
 * Saves the freeform prompt template `name` (`text`, over `model`), deploys its version 1 under the
 * serving name `name` and invokes it with `{ ticket }`: the deployment's answer, or the SDK's error
 * when the serving gate refuses the model.
 */
export async function invokeDeployedPrompt(
  keel: TestKeel,
  name: string,
  model: string,
  ticket: string,
  text = '{{ticket}}',
) {
  const sdk = sdkClient(keel);
  await sdk.prompts.create({ name, template: { mode: 'freeform', text, model_id: model } });
  await sdk.deployments.create({
    name,
    serving_name: name,
    asset: { type: 'prompt_template', ref: `${name}@1` },
  });
  return sdk.deployments.invoke(name, { variables: { ticket } });
}
