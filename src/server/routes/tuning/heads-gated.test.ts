/**
 * The serving gate of heads: a head registered in governance answers as the model `head:<name>`
 * only after the governance approval flow approved it, and a deployment serves only a registered,
 * approved head (an ungoverned one is refused there, though plain calls may use it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveAsset,
  callJson,
  invokeDeployedPrompt,
  prepareGovernance,
} from '../../../testing/governed-approval.js';
import { leaveToDeadWorker } from '../../../testing/outcomes.js';
import { apiError } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
let validatorKey: string;

const call = (path: string, init: RequestInit & { json?: unknown } = {}) => callJson(keel, path, init);

beforeAll(async () => {
  keel = await createTestKeel();
  ({ validatorKey } = await prepareGovernance(keel));
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
  const started = await call('/api/v1/tuning/jobs', {
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
    const job = (await call(`/api/v1/jobs/${started.body.id}`)).body;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const chat = (model: string) =>
  call('/v1/chat/completions', {
    method: 'POST',
    json: { model, messages: [{ role: 'user', content: 'please refund my order' }] },
  });

describe('heads behind the governance gate', () => {
  it('a governed head answers as head:<name> only after approval', async () => {
    const useCase = await call('/api/v1/use-cases', {
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
      validatorKey,
      evidence: { ref: 'router-v1-validation', metrics: { macro_f1: job.result.macroF1 } },
    });
    expect(approval).toEqual({ statuses: [200, 200, 200], approved: true });

    const served = await chat('head:router');
    expect(served.status).toBe(200);
    expect(served.body.choices[0].message.content).toBe('billing');

    // Approved and governed: a deployment serves it too.
    const invoked = await invokeDeployedPrompt(
      keel,
      'governed-router',
      'head:router',
      'refund my order please',
    );
    expect(invoked.output).toBe('billing');
  });

  it('a deployment refuses an ungoverned head that plain calls may use', async () => {
    const job = await train({ name: 'loose' });
    expect(job.status).toBe('succeeded');
    expect((await chat('head:loose')).status).toBe(200);

    const error = await apiError(
      invokeDeployedPrompt(keel, 'ticket-router', 'head:loose', 'the app crashes'),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('asset_not_approved');
    expect(error.issues?.map((i) => i.code)).toEqual(['not_governed']);
  });

  it('a governed head job resumed after its worker died registers its version once', async () => {
    const useCase = await call('/api/v1/use-cases', {
      method: 'POST',
      json: { name: 'resumed routing', approach: { name: 'head' } },
    });
    const job = await train({ name: 'resumed-router', governance: { use_case_id: useCase.body.id } });
    expect(job.status).toBe('succeeded');
    const assetId = job.result.governanceAssetId as string;
    // The worker registered the version in governance and died before noting the asset on it.
    await keel.services.jobs.stop();
    await keel.services.db.query(
      `UPDATE tuning_heads SET info = info - 'governanceAssetId' WHERE name = 'resumed-router'`,
    );
    await leaveToDeadWorker(keel.services.db, job.id);
    await keel.services.jobs.start();
    let resumed = job;
    while (resumed.attempts !== 2 || resumed.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      resumed = (await call(`/api/v1/jobs/${job.id}`)).body;
    }
    expect(resumed).toMatchObject({
      status: 'succeeded',
      result: { version: 1, governanceAssetId: assetId },
    });
    const assets = await call(`/api/v1/assets?use_case_id=${useCase.body.id}`);
    expect(assets.body.assets.map((a: { id: string }) => a.id)).toEqual([assetId]);
    const versions = await call('/api/v1/heads/resumed-router');
    expect(versions.body.versions).toMatchObject([{ version: 1, governance_asset_id: assetId }]);
  });
});
