import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../../api/governance-risk.js';
import type { TemplateBody } from '../../../api/prompts.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

/**
 * A deployment into a production space that the governance gate refuses is audited like a refused
 * transition or label move (`governance.gate.refused`, gate `deployment.production`).
 */
let keel: TestKeel;

const body: TemplateBody = {
  mode: 'freeform',
  text: 'Answer {{question}}',
  variables: [{ name: 'question', type: 'string' }],
  model_id: 'echo:reverse',
};

const prohibitedAnswers: Answers = {
  purpose_description: 'rate how employees feel',
  purpose_function: 'content_generation',
  prohibited_practices: ['emotion_workplace_education'],
  domain: ['general'],
  affected_people: ['internal_staff'],
  scale: 'under_100',
  impact_severity: 'negligible',
  autonomy: 'assistive',
  reversibility: 'easily_reversed',
  data_categories: ['no_personal_data'],
  interaction: ['not_exposed'],
};

const { admin: call } = keyedCalls(() => keel);

/** A template tracked under a new use case (in idea: nothing approved). */
async function governedTemplate(name: string) {
  expect((await call('/api/v1/prompts', { json: { name, template: body } })).status).toBe(201);
  const useCase = await call('/api/v1/use-cases', { json: { name: `${name} use` } });
  const asset = await call('/api/v1/assets', {
    json: { use_case_id: useCase.body.id, kind: 'prompt_template', ref: name, version: 1 },
  });
  expect(asset.status).toBe(201);
  return { useCaseId: useCase.body.id as string, assetId: asset.body.id as string };
}

async function refusals(): Promise<Record<string, unknown>[]> {
  await keel.services.audit.flush();
  const { rows } = await keel.services.db.query<{ detail: string; target_id: string | null }>(
    "SELECT detail, target_id FROM audit_log WHERE action = 'governance.gate.refused' ORDER BY seq",
  );
  return rows.map((row) => ({ ...JSON.parse(row.detail), target: row.target_id }));
}

beforeAll(async () => {
  keel = await createTestKeel();
  expect((await call('/api/v1/spaces', { json: { name: 'prod', stage: 'production' } })).status).toBe(201);
  expect((await call('/api/v1/spaces', { json: { name: 'dev', stage: 'development' } })).status).toBe(201);
});
afterAll(async () => {
  await keel?.close();
});

describe('refused production deployments', () => {
  it('audits a deployment of an unapproved template into a production space', async () => {
    const { assetId, useCaseId } = await governedTemplate('unapproved');
    const refused = await call('/api/v1/deployments', {
      json: {
        space: 'prod',
        name: 'unapproved-prod',
        asset: { type: 'prompt_template', ref: 'unapproved@1' },
      },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('asset_not_approved');
    expect(refused.body.error.issues.map((issue: { code: string }) => issue.code)).toEqual([
      'approval_missing',
    ]);
    expect((await refusals()).at(-1)).toMatchObject({
      target: assetId,
      gate: 'deployment.production',
      action: 'deployment.create',
      deployment: 'unapproved-prod',
      kind: 'prompt_template',
      ref: 'unapproved',
      version: 1,
      useCaseId,
      reasons: 'approval_missing',
    });
  });

  it('audits a prohibited use case sent for deployment, and a space promoted over an unapproved one', async () => {
    const { useCaseId } = await governedTemplate('forbidden');
    expect(
      (
        await call('/api/v1/risk-assessments', {
          json: { use_case_id: useCaseId, answers: prohibitedAnswers },
        })
      ).status,
    ).toBe(201);
    const refused = await call('/api/v1/deployments', {
      json: { space: 'prod', name: 'forbidden-prod', asset: { type: 'prompt_template', ref: 'forbidden@1' } },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.issues.map((issue: { code: string }) => issue.code)).toContain(
      'use_case_prohibited',
    );
    expect((await refusals()).at(-1)).toMatchObject({
      action: 'deployment.create',
      deployment: 'forbidden-prod',
      reasons: expect.stringContaining('use_case_prohibited'),
    });

    // Allowed in a development space (no gate, nothing audited); promoting that space is refused.
    const before = (await refusals()).length;
    const dev = await call('/api/v1/deployments', {
      json: { space: 'dev', name: 'forbidden-dev', asset: { type: 'prompt_template', ref: 'forbidden@1' } },
    });
    expect(dev.status).toBe(201);
    expect(await refusals()).toHaveLength(before);
    const promote = await call('/api/v1/spaces/dev', { method: 'PATCH', json: { stage: 'production' } });
    expect(promote.status).toBe(403);
    const space = (await call('/api/v1/spaces/dev')).body;
    expect((await refusals()).at(-1)).toMatchObject({ action: 'space.promote', space: space.id });
  });

  it('does not audit a governed template that passes, nor an untracked one', async () => {
    await call('/api/v1/prompts', { json: { name: 'free', template: body } });
    const before = (await refusals()).length;
    const created = await call('/api/v1/deployments', {
      json: { space: 'prod', name: 'free-prod', asset: { type: 'prompt_template', ref: 'free@1' } },
    });
    expect(created.status).toBe(201);
    expect(await refusals()).toHaveLength(before);
  });
});
