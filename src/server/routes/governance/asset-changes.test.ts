import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
const { keys, call, mintKey } = keyedCalls(() => keel);

beforeAll(async () => {
  keel = await createTestKeel();
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
  keys.editor = await mintKey('editor', 'editor');
  keys.validator = await mintKey('validator', 'validator');
});
afterAll(async () => {
  await keel?.close();
});

describe('a change to an approved asset', () => {
  it('sends a RAG collection configuration back to validate; whoever changed it cannot approve it', async () => {
    const collection = await call('editor', '/api/v1/collections', { json: { name: 'policies' } });
    expect(collection.status).toBeLessThan(300);
    const useCase = await call('editor', '/api/v1/use-cases', {
      json: { name: 'policy answers', approach: { name: 'rag', thresholds: { faithfulness: { min: 0.6 } } } },
    });
    const asset = await call('editor', '/api/v1/assets', {
      json: { use_case_id: useCase.body.id, kind: 'rag_collection', ref: collection.body.id, version: 1 },
    });
    await call('editor', '/api/v1/assets', {
      json: {
        use_case_id: useCase.body.id,
        kind: 'evaluation_run',
        ref: 'uploaded-1',
        results: { metrics: { faithfulness: 0.8 } },
      },
    });
    const id = asset.body.id as string;
    const move = (who: string, to: string) => call(who, `/api/v1/assets/${id}/transitions`, { json: { to } });
    const report = () =>
      call('validator', `/api/v1/assets/${id}/validation-report`, {
        json: { summary: 'checked', passed: true },
      });
    await move('editor', 'develop');
    await move('editor', 'validate');
    await report();
    expect((await move('validator', 'approve')).status).toBe(200);
    expect(
      (
        await call('validator', '/api/v1/approvals', {
          json: { asset_id: id, decision: 'go', reasons: 'ok' },
        })
      ).body.approved,
    ).toBe(true);
    expect((await move('editor', 'deploy')).status).toBe(200);
    const projectId = keel.services.installation.defaultProjectId;
    const ref = { kind: 'rag_collection', ref: collection.body.id, version: 1 };
    expect((await keel.services.governance.gate.check(projectId, ref)).allowed).toBe(true);

    // The admin changes the configuration: a new configuration version.
    const changed = await call('admin', `/api/v1/collections/${collection.body.id}/config`, {
      method: 'PUT',
      json: { config: { retrieval: { top_k: 3 } } },
    });
    expect(changed.status).toBe(200);
    await keel.services.audit.flush();
    await keel.services.governance.feed.poll();
    const after = await call('editor', `/api/v1/assets/${id}`);
    expect(after.body).toMatchObject({ stage: 'validate', version: 2, revision: 2, approved: false });
    expect((await keel.services.governance.gate.check(projectId, { ...ref, version: 2 })).allowed).toBe(
      false,
    );
    expect((await keel.services.governance.gate.check(projectId, ref)).missing[0]!.code).toBe(
      'version_not_tracked',
    );

    // The old report covers revision 1: validation needs a new one.
    const stale = await move('validator', 'approve');
    expect(stale.status).toBe(409);
    expect(stale.body.error.issues.map((i: { code: string }) => i.code)).toEqual(['validation_report_stale']);
    await report();
    expect((await move('validator', 'approve')).status).toBe(200);
    const byChanger = await call('admin', '/api/v1/approvals', {
      json: { asset_id: id, decision: 'go', reasons: 'mine' },
    });
    expect(byChanger.status).toBe(403);
    expect(byChanger.body.error.issues[0].code).toBe('separation_of_duties');
    const history = (await call('editor', `/api/v1/assets/${id}/history`)).body.history;
    expect(history.find((h: { event: string }) => h.event === 'change')).toMatchObject({
      from_stage: 'deploy',
      to_stage: 'validate',
      detail: { cause: 'collection.config.update', version: 2 },
    });
    // The earlier go was for revision 1; it does not carry over.
    const decisions = (await call('validator', `/api/v1/approvals?asset_id=${id}`)).body.approvals;
    expect(decisions).toHaveLength(1);
    expect(decisions[0].asset_revision).toBe(1);
    expect(
      (
        await call('validator', '/api/v1/approvals', {
          json: { asset_id: id, decision: 'go', reasons: 're-checked' },
        })
      ).body.approved,
    ).toBe(true);
  });
});

/** Tracks `kind:ref` under a new use case and takes it through validation, one go, into deploy. */
async function approvedAndDeployed(kind: string, ref: string) {
  const useCase = await call('editor', '/api/v1/use-cases', { json: { name: `${kind} ${ref}` } });
  const asset = await call('editor', '/api/v1/assets', { json: { use_case_id: useCase.body.id, kind, ref } });
  expect(asset.status).toBe(201);
  await call('editor', '/api/v1/assets', {
    json: {
      use_case_id: useCase.body.id,
      kind: 'evaluation_run',
      ref: `${ref}-eval`,
      results: { metrics: {} },
    },
  });
  const id = asset.body.id as string;
  const move = (who: string, to: string) => call(who, `/api/v1/assets/${id}/transitions`, { json: { to } });
  await move('editor', 'develop');
  await move('editor', 'validate');
  await call('validator', `/api/v1/assets/${id}/validation-report`, {
    json: { summary: 'ok', passed: true },
  });
  expect((await move('validator', 'approve')).status).toBe(200);
  const go = await call('validator', '/api/v1/approvals', {
    json: { asset_id: id, decision: 'go', reasons: 'ok' },
  });
  expect(go.body.approved).toBe(true);
  expect((await move('editor', 'deploy')).status).toBe(200);
  return id;
}

async function afterFeed(id: string) {
  await keel.services.audit.flush();
  await keel.services.governance.feed.poll();
  return {
    asset: (await call('editor', `/api/v1/assets/${id}`)).body,
    change: (await call('editor', `/api/v1/assets/${id}/history`)).body.history.find(
      (h: { event: string }) => h.event === 'change',
    ),
  };
}

describe('the change rules', () => {
  it('sends a guardrail policy back to validate when the policy is updated (policy.update)', async () => {
    keys.otherAdmin = await mintKey('other admin', 'admin');
    const put = (who: string, body: unknown) =>
      call(who, '/api/v1/guardrails/policies/support-pii', { method: 'PUT', json: body });
    // The admin writes the policy; another admin changes it later.
    expect((await put('admin', { input: { pii: { action: 'mask' } } })).status).toBe(200);
    const id = await approvedAndDeployed('guardrail_policy', 'support-pii');
    expect((await put('otherAdmin', { input: { pii: { action: 'block' } } })).status).toBe(200);
    const { asset, change } = await afterFeed(id);
    expect(asset).toMatchObject({ stage: 'validate', revision: 2, approved: false });
    expect(change).toMatchObject({
      from_stage: 'deploy',
      to_stage: 'validate',
      detail: { cause: 'policy.update' },
    });
    // Whoever wrote the policy cannot approve it, though the change was another's (read from the
    // policy's own records, which name it).
    await call('validator', `/api/v1/assets/${id}/validation-report`, {
      json: { summary: 'ok', passed: true },
    });
    expect(
      (await call('validator', `/api/v1/assets/${id}/transitions`, { json: { to: 'approve' } })).status,
    ).toBe(200);
    const byAuthor = await call('admin', '/api/v1/approvals', {
      json: { asset_id: id, decision: 'go', reasons: 'I wrote it' },
    });
    expect(byAuthor.status).toBe(403);
    expect(byAuthor.body.error.issues[0].code).toBe('separation_of_duties');
  });

  it('sends a tracked deployment back to validate when it serves a new version (another model or policy)', async () => {
    await call('editor', '/api/v1/prompts', {
      json: {
        name: 'greeter',
        template: { mode: 'freeform', text: 'Hello {{who}}', model_id: 'echo:reverse' },
      },
    });
    const deployment = await call('editor', '/api/v1/deployments', {
      json: { name: 'greeter-dev', asset: { type: 'prompt_template', ref: 'greeter@1' } },
    });
    expect(deployment.status).toBe(201);
    const id = await approvedAndDeployed('deployment', deployment.body.id);
    // Another guardrail policy: the deployment serves a new version (deployment.version.create).
    const updated = await call('editor', `/api/v1/deployments/${deployment.body.id}`, {
      method: 'PATCH',
      json: { guardrail_policy: 'support-pii' },
    });
    expect(updated.status).toBe(200);
    const { asset, change } = await afterFeed(id);
    expect(asset).toMatchObject({ stage: 'validate', revision: 2, approved: false });
    expect(change).toMatchObject({ detail: { cause: 'deployment.version.create', version: 2 } });
  });
});
