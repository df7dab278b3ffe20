/**
 * The serving gate of heads: a head registered in governance answers as the model `head:<name>`
 * only after the governance approval flow approved it, and a deployment serves only a registered,
 * approved head (an ungoverned one is refused there, though plain calls may use it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAsset, prepareGovernance } from '../../../testing/governed-approval.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
const keys: Record<string, string> = {};

async function call(who: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const res = await keel.call(path, { ...init, key: keys[who] ?? keel.adminKey });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  keel = await createTestKeel();
  keys.validator = (await prepareGovernance(keel)).validatorKey;
});
afterAll(async () => {
  await keel?.close();
});

function examples() {
  const out: { text: string; label: string }[] = [];
  for (let i = 0; i < 20; i++) {
    out.push({ text: `refund my order ${i} please`, label: 'billing' });
    out.push({ text: `the app crashes on start ${i}`, label: 'bug' });
  }
  return out;
}

async function train(body: Record<string, unknown>) {
  const started = await call('admin', '/api/v1/tuning/jobs', {
    method: 'POST',
    json: {
      type: 'head',
      examples: examples(),
      features: { dimensions: 1024 },
      options: { seed: 1 },
      ...body,
    },
  });
  expect(started.status).toBe(202);
  for (;;) {
    const job = (await call('admin', `/api/v1/jobs/${started.body.id}`)).body;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const chat = (model: string) =>
  call('admin', '/v1/chat/completions', {
    method: 'POST',
    json: { model, messages: [{ role: 'user', content: 'please refund my order' }] },
  });

describe('heads behind the governance gate', () => {
  it('a governed head answers as head:<name> only after approval', async () => {
    const useCase = await call('admin', '/api/v1/use-cases', {
      method: 'POST',
      json: { name: 'ticket routing', approach: { name: 'head' } },
    });
    const job = await train({ name: 'router', governance: { use_case_id: useCase.body.id } });
    expect(job.status).toBe('succeeded');
    const assetId = job.result.governanceAssetId as string;

    const refused = await chat('head:router');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('asset_not_approved');
    expect(refused.body.error.issues.map((i: { code: string }) => i.code)).toContain('approval_missing');

    // The head's validation report as the uploaded evaluation the approach asks for.
    const approval = await approveAsset(keel, {
      assetId,
      useCaseId: useCase.body.id,
      validatorKey: keys.validator!,
      evidence: { ref: 'router-v1-validation', metrics: { macro_f1: job.result.macroF1 } },
    });
    expect(approval).toEqual({ statuses: [200, 200, 200], approved: true });

    const served = await chat('head:router');
    expect(served.status).toBe(200);
    expect(served.body.choices[0].message.content).toBe('billing');

    // Approved and governed: a deployment serves it too.
    const sdk = sdkClient(keel);
    await sdk.prompts.create({
      name: 'route-governed',
      template: { mode: 'freeform', text: '{{ticket}}', model_id: 'head:router' },
    });
    await sdk.deployments.create({
      name: 'Governed router',
      serving_name: 'governed-router',
      asset: { type: 'prompt_template', ref: 'route-governed@1' },
    });
    const invoked = await sdk.deployments.invoke('governed-router', {
      variables: { ticket: 'refund my order please' },
    });
    expect(invoked.output).toBe('billing');
  });

  it('a deployment refuses an ungoverned head that plain calls may use', async () => {
    const job = await train({ name: 'loose' });
    expect(job.status).toBe('succeeded');
    expect((await chat('head:loose')).status).toBe(200);

    const sdk = sdkClient(keel);
    await sdk.prompts.create({
      name: 'route-ticket',
      template: { mode: 'freeform', text: '{{ticket}}', model_id: 'head:loose' },
    });
    await sdk.deployments.create({
      name: 'Ticket router',
      serving_name: 'ticket-router',
      asset: { type: 'prompt_template', ref: 'route-ticket@1' },
    });
    const error = await apiError(
      sdk.deployments.invoke('ticket-router', { variables: { ticket: 'the app crashes' } }),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('asset_not_approved');
    expect(error.issues?.map((i) => i.code)).toEqual(['not_governed']);
  });
});
