import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../../api/governance-risk.js';
import type { TemplateBody } from '../../../api/prompts.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { minimalRiskAnswers } from '../../../testing/risk-answers.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

/**
 * A new risk assessment changes what an approval is worth: the standing decisions are held
 * against the tier it puts in force, and the serving gate answers from the new state at once.
 */
let keel: TestKeel;
const { keys, call, mintKey } = keyedCalls(() => keel);

const minimal: Answers = minimalRiskAnswers();
const high: Answers = { ...minimal, domain: ['employment'] };
const prohibited: Answers = { ...minimal, prohibited_practices: ['emotion_workplace_education'] };

const body: TemplateBody = {
  mode: 'freeform',
  text: 'Draft a reply to {{text}}',
  variables: [{ name: 'text', type: 'string' }],
  model_id: 'echo:reverse',
};

async function assess(useCaseId: string, answers: Answers) {
  const res = await call('editor', '/api/v1/risk-assessments', { json: { use_case_id: useCaseId, answers } });
  expect(res.status).toBe(201);
  return res.body;
}

/** A template asset assessed at `answers`, approved by one validator, labelled production and deployed. */
async function deployedWithOneApprover(name: string, answers: Answers) {
  expect((await call('editor', '/api/v1/prompts', { json: { name, template: body } })).status).toBe(201);
  const useCase = await call('editor', '/api/v1/use-cases', {
    json: { name: `${name} use`, approach: { name: 'prompted', thresholds: { accuracy: { min: 0.8 } } } },
  });
  const useCaseId = useCase.body.id as string;
  const asset = await call('editor', '/api/v1/assets', {
    json: { use_case_id: useCaseId, kind: 'prompt_template', ref: name, version: 1 },
  });
  await call('editor', '/api/v1/assets', {
    json: {
      use_case_id: useCaseId,
      kind: 'evaluation_run',
      ref: `${name}-eval`,
      results: { metrics: { accuracy: 0.9 } },
    },
  });
  const assetId = asset.body.id as string;
  for (const to of ['develop', 'validate'])
    expect((await call('editor', `/api/v1/assets/${assetId}/transitions`, { json: { to } })).status).toBe(
      200,
    );
  await assess(useCaseId, answers);
  await call('validator1', `/api/v1/assets/${assetId}/validation-report`, {
    json: { summary: 'checked', passed: true },
  });
  expect(
    (await call('validator1', `/api/v1/assets/${assetId}/transitions`, { json: { to: 'approve' } })).status,
  ).toBe(200);
  const go = await call('validator1', '/api/v1/approvals', {
    json: { asset_id: assetId, decision: 'go', reasons: 'one approver is enough at this tier' },
  });
  expect(go.body).toMatchObject({ approved: true });
  const label = await call('editor', `/api/v1/prompts/${name}/labels/production`, {
    method: 'PUT',
    json: { version: 1 },
  });
  expect(label.status).toBe(200);
  const deployed = await call('editor', `/api/v1/assets/${assetId}/transitions`, {
    json: { to: 'deploy', production: true },
  });
  expect(deployed.status).toBe(200);
  return { useCaseId, assetId };
}

const projectId = () => keel.services.installation.defaultProjectId;

async function actions(prefix: string): Promise<{ action: string; detail: Record<string, unknown> }[]> {
  await keel.services.audit.flush();
  const { rows } = await keel.services.db.query<{ action: string; detail: string | null }>(
    'SELECT action, detail FROM audit_log WHERE action LIKE $1 ORDER BY seq',
    [`${prefix}%`],
  );
  return rows.map((row) => ({ action: row.action, detail: row.detail ? JSON.parse(row.detail) : {} }));
}

beforeAll(async () => {
  keel = await createTestKeel();
  keys.editor = await mintKey('editor', 'editor');
  keys.validator1 = await mintKey('validator one', 'validator');
  keys.validator2 = await mintKey('validator two', 'validator');
});
afterAll(async () => {
  await keel?.close();
});

describe('a new risk assessment re-evaluates standing approvals', () => {
  it('raising the tier to high takes back a one-approver approval until a second validator decides', async () => {
    const { useCaseId, assetId } = await deployedWithOneApprover('raised', minimal);
    const ref = { kind: 'prompt_template', ref: 'raised', version: 1 };
    expect((await keel.services.governance.gate.check(projectId(), ref)).allowed).toBe(true);

    const reassessed = await assess(useCaseId, high);
    expect(reassessed.tier).toBe('high');
    // The asset is back in approve, unapproved; the gate refuses at once (its cache was dropped).
    const asset = await call('editor', `/api/v1/assets/${assetId}`);
    expect(asset.body).toMatchObject({ stage: 'approve', approved: false });
    expect(await keel.services.governance.gate.check(projectId(), ref)).toMatchObject({
      allowed: false,
      missing: [{ code: 'approval_missing' }],
    });
    // Production stays closed with the one approver: the label cannot be set again, nor deployed.
    await call('editor', '/api/v1/prompts/raised/labels/production', { method: 'DELETE' });
    const label = await call('editor', '/api/v1/prompts/raised/labels/production', {
      method: 'PUT',
      json: { version: 1 },
    });
    expect(label.status).toBe(409);
    expect(label.body.error.issues[0].code).toBe('approval_missing');
    const deploy = await call('editor', `/api/v1/assets/${assetId}/transitions`, {
      json: { to: 'deploy', production: true },
    });
    expect(deploy.status).toBe(409);
    expect(deploy.body.error.issues[0].code).toBe('approval_missing');
    // Recorded in the asset's history and audited, naming what is missing now.
    const history = (await call('editor', `/api/v1/assets/${assetId}/history`)).body.history;
    expect(history.at(-1)).toMatchObject({
      event: 'reassess',
      from_stage: 'deploy',
      to_stage: 'approve',
      detail: { tier: 'high', approved: false, missing: ['second_approver_missing'] },
    });
    const audited = (await actions('governance.approval.reevaluate')).filter(
      (row) => row.detail.useCaseId === useCaseId,
    );
    expect(audited).toEqual([
      {
        action: 'governance.approval.reevaluate',
        detail: expect.objectContaining({
          assessment: reassessed.id,
          tier: 'high',
          approved: false,
          from: 'deploy',
          to: 'approve',
          missing: 'second_approver_missing',
        }),
      },
    ]);

    // The second validator's go restores the approval; production opens again.
    const second = await call('validator2', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'high tier reviewed' },
    });
    expect(second.body).toMatchObject({ approved: true, missing: [] });
    expect((await keel.services.governance.gate.check(projectId(), ref)).allowed).toBe(true);
    expect(
      (
        await call('editor', '/api/v1/prompts/raised/labels/production', {
          method: 'PUT',
          json: { version: 1 },
        })
      ).status,
    ).toBe(200);
  });

  it('an assessment that keeps the tier leaves approvals alone', async () => {
    const { useCaseId, assetId } = await deployedWithOneApprover('steady', minimal);
    await assess(useCaseId, { ...minimal, purpose_description: 'reply drafts, reworded' });
    expect((await call('editor', `/api/v1/assets/${assetId}`)).body).toMatchObject({
      stage: 'deploy',
      approved: true,
    });
    expect(
      (await actions('governance.approval.reevaluate')).filter((row) => row.detail.useCaseId === useCaseId),
    ).toEqual([]);
  });

  it('a prohibited assessment closes the cached gate on this replica at once, without the change feed', async () => {
    const { useCaseId } = await deployedWithOneApprover('banned-now', minimal);
    const ref = { kind: 'prompt_template', ref: 'banned-now', version: 1 };
    // The cached answer is "allowed"; the change feed (which other replicas rely on) is stopped.
    expect((await keel.services.governance.gate.check(projectId(), ref)).allowed).toBe(true);
    await keel.services.governance.feed.stop();
    try {
      const result = await assess(useCaseId, prohibited);
      expect(result.prohibited).toBe(true);
      const gate = await keel.services.governance.gate.check(projectId(), ref);
      expect(gate.allowed).toBe(false);
      expect(gate.missing.map((item) => item.code)).toContain('use_case_prohibited');
    } finally {
      await keel.services.governance.feed.start();
    }
  });
});
