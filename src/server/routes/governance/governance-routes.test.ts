import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateBody } from '../../../api/prompts.js';
import type { RiskSummary } from '../../../governance/index.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
const { keys, call, mintKey } = keyedCalls(() => keel);
/** Until the risk service is wired, the assessment is read through the risk port. */
const assessments = new Map<string, RiskSummary>();
const assess = (useCaseId: string, tier: RiskSummary['tier']) =>
  assessments.set(useCaseId, {
    tier,
    prohibited: tier === 'prohibited',
    koreaHighImpact: tier === 'high',
    completedAt: new Date(),
    version: 1,
    scorecard: {},
  });

const body: TemplateBody = {
  mode: 'freeform',
  text: 'Summarise {{text}}',
  variables: [{ name: 'text', type: 'string' }],
  model_id: 'echo:reverse',
};

async function auditActions(): Promise<string[]> {
  await keel.services.audit.flush();
  const { rows } = await keel.services.db.query<{ action: string }>(
    "SELECT action FROM audit_log WHERE action LIKE 'governance.%' ORDER BY seq",
  );
  return rows.map((row) => row.action);
}

/** A use case with a template asset and a passing evaluation, up to the approve stage. */
async function readyForApproval(name: string, tier: RiskSummary['tier']) {
  await call('editor', '/api/v1/prompts', { json: { name, template: body } });
  const useCase = await call('editor', '/api/v1/use-cases', {
    json: {
      name: `${name} use`,
      purpose: 'summaries for the support desk',
      business_owner: 'support lead',
      tags: ['support'],
      approach: { name: 'prompted', thresholds: { accuracy: { min: 0.8 } } },
    },
  });
  expect(useCase.status).toBe(201);
  const asset = await call('editor', '/api/v1/assets', {
    json: { use_case_id: useCase.body.id, kind: 'prompt_template', ref: name, version: 1 },
  });
  expect(asset.status).toBe(201);
  await call('editor', '/api/v1/assets', {
    json: {
      use_case_id: useCase.body.id,
      kind: 'evaluation_run',
      ref: `${name}-eval-1`,
      results: { metrics: { accuracy: 0.9 } },
    },
  });
  const id = asset.body.id as string;
  for (const to of ['develop', 'validate'])
    expect((await call('editor', `/api/v1/assets/${id}/transitions`, { json: { to } })).status).toBe(200);
  assess(useCase.body.id, tier);
  await call('validator1', `/api/v1/assets/${id}/validation-report`, {
    json: { summary: 'checked on 200 tickets', passed: true },
  });
  const approved = await call('validator1', `/api/v1/assets/${id}/transitions`, { json: { to: 'approve' } });
  expect(approved.status).toBe(200);
  return { useCaseId: useCase.body.id as string, assetId: id };
}

beforeAll(async () => {
  keel = await createTestKeel();
  keel.services.governance.setRisk({
    latest: async (_project, useCaseId) => assessments.get(useCaseId) ?? null,
  });
  keys.editor = await mintKey('editor', 'editor');
  keys.validator1 = await mintKey('validator one', 'validator');
  keys.validator2 = await mintKey('validator two', 'validator');
  keys.viewer = await mintKey('viewer', 'viewer');
});
afterAll(async () => {
  await keel?.close();
});

describe('governance inventory', () => {
  it('registers use cases with approaches and filters the inventory', async () => {
    const created = await call('editor', '/api/v1/use-cases', {
      json: { name: 'claims triage', purpose: 'route claims', tags: ['claims', 'ko'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'claims triage',
      status: 'active',
      risk_tier: null,
      tags: ['claims', 'ko'],
      approaches: [{ version: 1 }],
    });
    const next = await call('editor', `/api/v1/use-cases/${created.body.id}/approaches`, {
      json: { name: 'rag', thresholds: { faithfulness: { min: 0.7 } } },
    });
    expect(next.body).toMatchObject({ version: 2, thresholds: { faithfulness: { min: 0.7 } } });
    const listed = await call('viewer', '/api/v1/use-cases?tag=claims');
    expect(listed.body.use_cases.map((u: { name: string }) => u.name)).toEqual(['claims triage']);
    const duplicate = await call('editor', '/api/v1/use-cases', { json: { name: 'claims triage' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.issues[0].code).toBe('duplicate_use_case');
  });

  it('tracks an external model with its endpoint and uploaded evaluation results', async () => {
    const useCase = await call('editor', '/api/v1/use-cases', { json: { name: 'fraud scoring' } });
    const model = await call('editor', '/api/v1/assets', {
      json: {
        use_case_id: useCase.body.id,
        kind: 'external_model',
        ref: 'fraud-xgb',
        external: {
          endpoint_url: 'https://runtime.sagemaker.example.com/endpoints/fraud/invocations',
          platform: 'sagemaker',
          owner: 'risk analytics',
          documentation: 'Gradient-boosted trees on 2025 transactions',
        },
      },
    });
    expect(model.status).toBe(201);
    expect(model.body).toMatchObject({ stage: 'idea', phase: 'develop', next_stages: ['develop', 'retire'] });
    expect(model.body.metadata.external.platform).toBe('sagemaker');
    const missing = await call('editor', '/api/v1/assets', {
      json: { use_case_id: useCase.body.id, kind: 'external_model', ref: 'no-endpoint' },
    });
    expect(missing.status).toBe(400);
  });

  it("answers 404 for another project's use case and assets", async () => {
    const project = await (await keel.call('/api/v1/projects', { json: { name: 'elsewhere' } })).json();
    keys.other = await mintKey('other admin', 'admin', project.id);
    const ours = await call('editor', '/api/v1/use-cases', { json: { name: 'private case' } });
    expect((await call('other', `/api/v1/use-cases/${ours.body.id}`)).status).toBe(404);
    const track = await call('other', '/api/v1/assets', {
      json: { use_case_id: ours.body.id, kind: 'dataset', ref: 'x' },
    });
    expect(track.status).toBe(404);
    expect((await call('other', '/api/v1/use-cases')).body.use_cases).toEqual([]);
  });
});

describe('governance lifecycle', () => {
  it('refuses out-of-order moves with a 409 naming the allowed next stages, and audits it', async () => {
    const useCase = await call('editor', '/api/v1/use-cases', { json: { name: 'ooo case' } });
    const asset = await call('editor', '/api/v1/assets', {
      json: { use_case_id: useCase.body.id, kind: 'dataset', ref: 'tickets-2025' },
    });
    const skip = await call('editor', `/api/v1/assets/${asset.body.id}/transitions`, {
      json: { to: 'deploy' },
    });
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('invalid_transition');
    expect(skip.body.error.data.allowed).toEqual(['develop', 'retire']);
    expect(skip.body.error.issues[0].code).toBe('transition_out_of_order');
    expect(await auditActions()).toContain('governance.asset.transition.refused');
  });

  it('lets exactly one of two concurrent moves win; the other gets a coded 409', async () => {
    const useCase = await call('editor', '/api/v1/use-cases', { json: { name: 'race case' } });
    const asset = await call('editor', '/api/v1/assets', {
      json: { use_case_id: useCase.body.id, kind: 'model', ref: 'granite-race' },
    });
    const move = () =>
      call('editor', `/api/v1/assets/${asset.body.id}/transitions`, {
        json: { to: 'develop', expected_row_version: asset.body.row_version },
      });
    const results = await Promise.all([move(), move(), move()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const lost of results.filter((r) => r.status === 409))
      expect(['stale_row_version', 'transition_out_of_order']).toContain(lost.body.error.issues[0].code);
  });

  it('needs evaluations meeting the thresholds, a risk assessment and a validation report to pass validation', async () => {
    await call('editor', '/api/v1/prompts', { json: { name: 'evidence', template: body } });
    const useCase = await call('editor', '/api/v1/use-cases', {
      json: { name: 'evidence case', approach: { name: 'p', thresholds: { accuracy: { min: 0.8 } } } },
    });
    const asset = await call('editor', '/api/v1/assets', {
      json: { use_case_id: useCase.body.id, kind: 'prompt_template', ref: 'evidence', version: 1 },
    });
    const id = asset.body.id;
    await call('editor', `/api/v1/assets/${id}/transitions`, { json: { to: 'develop' } });
    await call('editor', `/api/v1/assets/${id}/transitions`, { json: { to: 'validate' } });
    await call('editor', '/api/v1/assets', {
      json: {
        use_case_id: useCase.body.id,
        kind: 'evaluation_run',
        ref: 'ev-low',
        results: { metrics: { accuracy: 0.5 } },
      },
    });
    const refused = await call('validator1', `/api/v1/assets/${id}/transitions`, { json: { to: 'approve' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('gate_refused');
    expect(refused.body.error.issues.map((i: { code: string }) => i.code).sort()).toEqual([
      'risk_assessment_missing',
      'threshold_not_met',
      'validation_report_missing',
    ]);
    // An editor may not pass validation at all.
    const editor = await call('editor', `/api/v1/assets/${id}/transitions`, { json: { to: 'approve' } });
    expect(editor.status).toBe(403);
  });

  it('blocks a prohibited use case from deployment', async () => {
    const { useCaseId, assetId } = await readyForApproval('banned', 'minimal');
    assess(useCaseId, 'prohibited');
    const go = await call('validator2', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'looks fine' },
    });
    expect(go.status).toBe(409);
    expect(go.body.error.issues[0].code).toBe('use_case_prohibited');
    const deploy = await call('editor', `/api/v1/assets/${assetId}/transitions`, { json: { to: 'deploy' } });
    expect(deploy.status).toBe(409);
    expect(deploy.body.error.issues[0].code).toBe('use_case_prohibited');
  });
});

describe('governance approvals and gates', () => {
  it('needs two distinct validators on a high-tier case; no approver twice; no creator approves', async () => {
    const { assetId } = await readyForApproval('highrisk', 'high');
    // The creator (an admin here, who may validate) is refused: separation of duties.
    keys.creatorAdmin = await mintKey('creator admin', 'admin');
    const asset = await call('creatorAdmin', '/api/v1/assets', {
      json: {
        use_case_id: (await call('editor', `/api/v1/assets/${assetId}`)).body.use_case_id,
        kind: 'dataset',
        ref: 'hr-set',
      },
    });
    for (const to of ['develop', 'validate'])
      await call('creatorAdmin', `/api/v1/assets/${asset.body.id}/transitions`, { json: { to } });
    // The template asset was created by the editor; the editor cannot decide (wrong role) …
    const editor = await call('editor', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'mine' },
    });
    expect(editor.status).toBe(403);
    expect(editor.body.error.issues[0].code).toBe('approver_role_required');

    const first = await call('validator1', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'evaluation and report are sound' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ approved: false, missing: [{ code: 'second_approver_missing' }] });
    const twice = await call('validator1', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'again' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.issues[0].code).toBe('duplicate_approver');
    // Production is still closed.
    const early = await call('editor', `/api/v1/assets/${assetId}/transitions`, { json: { to: 'deploy' } });
    expect(early.status).toBe(409);
    expect(early.body.error.issues[0].code).toBe('approval_missing');
    const label = await call('editor', '/api/v1/prompts/highrisk/labels/production', {
      method: 'PUT',
      json: { version: 1 },
    });
    expect(label.status).toBe(409);
    expect(label.body.error.code).toBe('gate_refused');
    expect(label.body.error.issues[0].code).toBe('approval_missing');

    const second = await call('validator2', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'agree' },
    });
    expect(second.body).toMatchObject({ approved: true, missing: [] });
    expect(
      (
        await call('editor', '/api/v1/prompts/highrisk/labels/production', {
          method: 'PUT',
          json: { version: 1 },
        })
      ).status,
    ).toBe(200);
    expect((await call('viewer', '/api/v1/assets/gate?ref=prompt_template:highrisk@1')).body).toMatchObject({
      tracked: true,
      allowed: true,
    });
    const deployed = await call('editor', `/api/v1/assets/${assetId}/transitions`, {
      json: { to: 'deploy' },
    });
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({ stage: 'deploy', phase: 'operate', approved: true });
    const actions = await auditActions();
    expect(actions).toContain('governance.approval.refused');
    expect(actions).toContain('governance.gate.refused');
  });

  it('refuses the creator of an asset as its approver', async () => {
    const { assetId } = await readyForApproval('selfmade', 'minimal');
    const creator = await call('editor', `/api/v1/assets/${assetId}/history`);
    expect(creator.body.history[0]).toMatchObject({ event: 'create' });
    // An admin who created an asset may validate, but not approve what they made.
    const useCase = await call('admin', '/api/v1/use-cases', { json: { name: 'admin-made' } });
    const asset = await call('admin', '/api/v1/assets', {
      json: {
        use_case_id: useCase.body.id,
        kind: 'evaluation_run',
        ref: 'admin-eval',
        results: { metrics: {} },
      },
    });
    assess(useCase.body.id, 'minimal');
    for (const to of ['develop', 'validate'])
      await call('admin', `/api/v1/assets/${asset.body.id}/transitions`, { json: { to } });
    await call('validator1', `/api/v1/assets/${asset.body.id}/validation-report`, {
      json: { summary: 'ok', passed: true },
    });
    expect(
      (await call('admin', `/api/v1/assets/${asset.body.id}/transitions`, { json: { to: 'approve' } }))
        .status,
    ).toBe(200);
    const self = await call('admin', '/api/v1/approvals', {
      json: { asset_id: asset.body.id, decision: 'go', reasons: 'I made it' },
    });
    expect(self.status).toBe(403);
    expect(self.body.error.issues[0].code).toBe('separation_of_duties');
  });

  it('refuses an approver who wrote the template in Prompt Lab (read from the audit chain)', async () => {
    await call('admin', '/api/v1/prompts', { json: { name: 'authored', template: body } });
    const useCase = await call('editor', '/api/v1/use-cases', { json: { name: 'authored use' } });
    assess(useCase.body.id, 'minimal');
    const asset = await call('editor', '/api/v1/assets', {
      json: { use_case_id: useCase.body.id, kind: 'prompt_template', ref: 'authored', version: 1 },
    });
    await call('editor', '/api/v1/assets', {
      json: {
        use_case_id: useCase.body.id,
        kind: 'evaluation_run',
        ref: 'authored-eval',
        results: { metrics: {} },
      },
    });
    const id = asset.body.id;
    for (const to of ['develop', 'validate'])
      await call('editor', `/api/v1/assets/${id}/transitions`, { json: { to } });
    await call('validator1', `/api/v1/assets/${id}/validation-report`, {
      json: { summary: 'ok', passed: true },
    });
    expect(
      (await call('validator1', `/api/v1/assets/${id}/transitions`, { json: { to: 'approve' } })).status,
    ).toBe(200);
    const author = await call('admin', '/api/v1/approvals', {
      json: { asset_id: id, decision: 'go', reasons: 'mine' },
    });
    expect(author.status).toBe(403);
    expect(author.body.error.issues[0].code).toBe('separation_of_duties');
    expect(
      (
        await call('validator1', '/api/v1/approvals', {
          json: { asset_id: id, decision: 'go', reasons: 'ok' },
        })
      ).status,
    ).toBe(201);
  });

  it('ignores a forged role and refuses a downgraded one', async () => {
    const { assetId } = await readyForApproval('forged', 'minimal');
    const forgedHeader = await call('viewer', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'trust me' },
      headers: { 'x-keel-role': 'admin' },
    });
    expect(forgedHeader.status).toBe(403);
    const forgedBody = await call('viewer', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'trust me', approver_role: 'admin' },
    });
    expect(forgedBody.status).toBe(400);
    expect(forgedBody.body.error.issues[0]).toMatchObject({ code: 'unrecognized_keys' });
    const list = await call('viewer', `/api/v1/approvals?asset_id=${assetId}`);
    expect(list.body.approvals).toEqual([]);
    // The forged field is refused and audited: who sent it, their real role, and the field.
    const forgedMove = await call('viewer', `/api/v1/assets/${assetId}/transitions`, {
      json: { to: 'deploy', actor: 'admin' },
    });
    expect(forgedMove.status).toBe(400);
    await keel.services.audit.flush();
    const forgedRows = await keel.services.db.query<{
      action: string;
      detail: string;
      actor_key_id: string;
      actor_role: string;
      target_id: string;
    }>(
      "SELECT action, detail, actor_key_id, actor_role, target_id FROM audit_log WHERE detail LIKE '%forged_field%' ORDER BY seq",
    );
    expect(forgedRows.rows.map((row) => row.action)).toEqual([
      'governance.approval.refused',
      'governance.asset.transition.refused',
    ]);
    for (const row of forgedRows.rows) {
      expect(row).toMatchObject({ actor_role: 'viewer', target_id: assetId });
      expect(row.actor_key_id).toBeTruthy();
    }
    expect(JSON.parse(forgedRows.rows[0]!.detail)).toEqual({
      reason: 'forged_field',
      fields: 'approver_role',
      role: 'viewer',
    });
    expect(JSON.parse(forgedRows.rows[1]!.detail)).toMatchObject({ fields: 'actor' });

    // A validator whose membership is downgraded to viewer can no longer decide, with the same session.
    const member = await call('admin', '/api/v1/users', {
      json: { email: 'vera@example.com', password: 'a-long-password-1', role: 'validator' },
    });
    expect(member.status).toBeLessThan(300);
    const session = await keel.call('/api/v1/auth/sign-in', {
      key: null,
      json: { email: 'vera@example.com', password: 'a-long-password-1' },
    });
    keys.vera = (await session.json()).token;
    const projectId = keel.services.installation.defaultProjectId;
    const downgraded = await call('admin', `/api/v1/projects/${projectId}/members/${member.body.user_id}`, {
      method: 'PUT',
      json: { role: 'viewer' },
    });
    expect(downgraded.status).toBe(200);
    const refused = await call('vera', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'still a validator?' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.issues[0].code).toBe('approver_role_required');
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<{ detail: string; actor_user_id: string }>(
      "SELECT detail, actor_user_id FROM audit_log WHERE action = 'governance.approval.refused' AND actor_user_id = $1",
      [member.body.user_id],
    );
    expect(JSON.parse(rows[0]!.detail)).toMatchObject({ reason: 'approver_role_required', role: 'viewer' });
  });

  it('queues only assets still waiting for a decision: not once approved, nor under a standing no-go', async () => {
    const { assetId: going } = await readyForApproval('queued-go', 'minimal');
    const { assetId: stopped } = await readyForApproval('queued-no-go', 'minimal');
    const { assetId: high } = await readyForApproval('queued-high', 'high');
    const queued = async (): Promise<string[]> =>
      (await call('validator1', '/api/v1/approvals?view=pending')).body.pending.map(
        (asset: { id: string }) => asset.id,
      );
    expect(await queued()).toEqual(expect.arrayContaining([going, stopped, high]));
    const decide = (asset_id: string, decision: 'go' | 'no_go') =>
      call('validator1', '/api/v1/approvals', { json: { asset_id, decision, reasons: 'checked' } });
    expect((await decide(going, 'go')).body.approved).toBe(true);
    const noGo = await decide(stopped, 'no_go');
    expect(noGo.status).toBe(201);
    expect((await decide(high, 'go')).body.approved).toBe(false);
    const after = await queued();
    expect(after).not.toContain(going);
    expect(after).not.toContain(stopped);
    // A high-tier case waits for its second approver.
    expect(after).toContain(high);
    // A reversal of the no-go by a go approves it; it stays out of the queue.
    const reversed = await call('validator1', '/api/v1/approvals', {
      json: { asset_id: stopped, decision: 'go', reasons: 'fixed', supersedes: noGo.body.approval.id },
    });
    expect(reversed.body.approved).toBe(true);
    expect(await queued()).not.toContain(stopped);
  });

  it('keeps decisions final: a reversal is a new decision; a change sends the asset back to validate', async () => {
    const { assetId } = await readyForApproval('changing', 'limited');
    const go = await call('validator1', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'fine' },
    });
    expect(go.body.approved).toBe(true);
    await expect(
      keel.services.db.query("UPDATE gov_approvals SET decision = 'no_go' WHERE id = $1", [
        go.body.approval.id,
      ]),
    ).rejects.toThrow(/final/);
    const reversal = await call('validator1', '/api/v1/approvals', {
      json: {
        asset_id: assetId,
        decision: 'no_go',
        reasons: 'found a leak',
        supersedes: go.body.approval.id,
      },
    });
    expect(reversal.body.approved).toBe(false);
    expect(reversal.body.missing[0].code).toBe('approval_no_go');
    const again = await call('validator2', '/api/v1/approvals', {
      json: { asset_id: assetId, decision: 'go', reasons: 'leak fixed' },
    });
    expect(again.body.approved).toBe(false);
    const back = await call('validator1', '/api/v1/approvals', {
      json: {
        asset_id: assetId,
        decision: 'go',
        reasons: 'leak fixed, confirmed',
        supersedes: reversal.body.approval.id,
      },
    });
    expect(back.body.approved).toBe(true);
    expect(
      (await call('editor', `/api/v1/assets/${assetId}/transitions`, { json: { to: 'deploy' } })).status,
    ).toBe(200);
    expect(
      (
        await keel.services.governance.gate.check(keel.services.installation.defaultProjectId, {
          kind: 'prompt_template',
          ref: 'changing',
        })
      ).allowed,
    ).toBe(true);

    // A new template version: the asset goes back to validate, its approval no longer holds.
    const v2 = await call('editor', '/api/v1/prompts/changing/versions', {
      json: { template: { ...body, text: 'Summarise briefly {{text}}' }, base_version: 1 },
    });
    expect(v2.status).toBeLessThan(300);
    await keel.services.audit.flush();
    await keel.services.governance.feed.poll();
    const asset = await call('editor', `/api/v1/assets/${assetId}`);
    expect(asset.body).toMatchObject({ stage: 'validate', version: 2, revision: 2, approved: false });
    const gate = await keel.services.governance.gate.check(keel.services.installation.defaultProjectId, {
      kind: 'prompt_template',
      ref: 'changing',
    });
    expect(gate).toMatchObject({ allowed: false, missing: [{ code: 'approval_missing' }] });
    // The editor who made the change now appears in the history (and could not approve it).
    const history = await call('editor', `/api/v1/assets/${assetId}/history`);
    expect(history.body.history.some((h: { event: string }) => h.event === 'change')).toBe(true);
    const queue = await call('validator1', '/api/v1/approvals?view=pending');
    expect(queue.status).toBe(200);
  });

  it('leaves untracked templates alone', async () => {
    await call('editor', '/api/v1/prompts', { json: { name: 'free', template: body } });
    const moved = await call('editor', '/api/v1/prompts/free/labels/production', {
      method: 'PUT',
      json: { version: 1 },
    });
    expect(moved.status).toBe(200);
  });
});
