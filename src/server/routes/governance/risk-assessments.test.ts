import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../../api/governance-risk.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { minimalRiskAnswers } from '../../../testing/risk-answers.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
const { keys, call, mintKey } = keyedCalls(() => keel);

const benign: Answers = minimalRiskAnswers('상담원용 답변 초안 / reply drafts for support agents');

async function useCase(name: string, who = 'editor'): Promise<string> {
  const created = await call(who, '/api/v1/use-cases', {
    json: { name, purpose: 'help the support desk', approach: { name: 'prompted' } },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function governanceActions(): Promise<string[]> {
  await keel.services.audit.flush();
  const { rows } = await keel.services.db.query<{ action: string }>(
    "SELECT action FROM audit_log WHERE action LIKE 'governance.risk%' OR action = 'governance.use_case.block' ORDER BY seq",
  );
  return rows.map((row) => row.action);
}

beforeAll(async () => {
  keel = await createTestKeel();
  keys.editor = await mintKey('editor', 'editor');
  keys.validator = await mintKey('validator', 'validator');
  keys.viewer = await mintKey('viewer', 'viewer');
  const other = await (await keel.call('/api/v1/projects', { json: { name: 'other-team' } })).json();
  keys.outsider = await mintKey('outsider', 'admin', other.id);
});
afterAll(async () => {
  await keel?.close();
});

describe('risk assessments over HTTP', () => {
  it('serves the built-in bilingual questionnaire', async () => {
    const res = await call('viewer', '/api/v1/risk-assessments/questionnaire');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ revision: 0, source: 'builtin', created_by: null });
    expect(res.body.questionnaire.title.ko).toContain('위험 평가');
    expect(res.body.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('completes versioned assessments; the newest supersedes and is what the gates read', async () => {
    const id = await useCase('support drafts');
    const first = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: benign },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      use_case_id: id,
      version: 1,
      supersedes: null,
      tier: 'minimal',
      eu_category: 'minimal',
      korea_high_impact: false,
      prohibited: false,
      questionnaire: { id: 'keel-risk', revision: 0 },
    });
    const second = await call('validator', '/api/v1/risk-assessments', {
      json: {
        use_case_id: 'support drafts',
        answers: { ...benign, domain: ['employment'] },
        note: '채용 지원',
      },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      version: 2,
      supersedes: first.body.id,
      tier: 'high',
      korea_high_impact: true,
    });
    expect(second.body.scorecard.reasons[0].text.en).toContain('Annex III 4');
    const latest = await keel.services.risk.latest(keel.services.installation.defaultProjectId, id);
    expect(latest).toMatchObject({ tier: 'high', koreaHighImpact: true, prohibited: false, version: 2 });
    // The inventory shows the tier in force.
    expect((await call('viewer', `/api/v1/use-cases/${id}`)).body.risk_tier).toBe('high');
    const listed = await call('viewer', `/api/v1/risk-assessments?use_case_id=${id}`);
    expect(listed.body.assessments.map((a: { version: number }) => a.version)).toEqual([2, 1]);
    const one = await call('viewer', `/api/v1/risk-assessments/${first.body.id}`);
    expect(one.body.answers).toEqual(benign);
    // Completed assessments are records: the database refuses to change them.
    await expect(
      keel.services.db.query("UPDATE gov_risk_assessments SET tier = 'minimal' WHERE id = $1", [
        second.body.id,
      ]),
    ).rejects.toThrow(/insert-only/);
  });

  it('blocks a use case whose assessment finds a prohibited practice, and audits both', async () => {
    const id = await useCase('mood monitor');
    const res = await call('editor', '/api/v1/risk-assessments', {
      json: {
        use_case_id: id,
        answers: { ...benign, prohibited_practices: ['emotion_workplace_education'] },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ prohibited: true, tier: 'prohibited', eu_category: 'prohibited' });
    expect((await call('viewer', `/api/v1/use-cases/${id}`)).body).toMatchObject({
      status: 'blocked',
      risk_tier: 'prohibited',
    });
    const actions = await governanceActions();
    expect(actions.slice(-2)).toEqual(['governance.risk_assessment.complete', 'governance.use_case.block']);
  });

  it('answers mistakes with coded 4xx errors', async () => {
    const id = await useCase('bad answers');
    const bad = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: { ...benign, scale: 'lots', autonomy: undefined } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual([
      'answers.scale',
      'answers.autonomy',
    ]);
    const viewer = await call('viewer', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: benign },
    });
    expect(viewer.status).toBe(403);
    const missing = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: 'guc_nope', answers: benign },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.issues[0].code).toBe('unknown_use_case');
    // Another project's use case is "not found", exactly like a missing one.
    const outsider = await call('outsider', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: benign },
    });
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.issues[0].code).toBe('unknown_use_case');
    const wrongApproach = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: id, approach_id: 'gap_other', answers: benign },
    });
    expect(wrongApproach.body.error.issues[0].code).toBe('unknown_approach');
    expect((await call('outsider', '/api/v1/risk-assessments')).body.assessments).toEqual([]);
  });

  it('returns the required controls with their reasons, and previews answers with dry_run', async () => {
    const id = await useCase('loan screening');
    const before = await governanceActions();
    const { interaction: _, ...partial } = benign;
    const preview = await call('viewer', '/api/v1/risk-assessments?dry_run=true', {
      json: { use_case_id: id, answers: { ...partial, domain: ['credit_scoring'] } },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      dry_run: true,
      use_case_id: id,
      tier: 'high',
      eu_category: 'high',
      korea_high_impact: true,
      unanswered: ['interaction'],
      questionnaire: { id: 'keel-risk', revision: 0 },
    });
    const controlIds = preview.body.required_controls.map((control: { id: string }) => control.id);
    expect(controlIds).toEqual(
      expect.arrayContaining(['eu.risk-management', 'kr.risk-plan', 'keel.two-approvers']),
    );
    expect(preview.body.required_controls[0].reason.en).toBe('EU AI Act: high-risk');
    // Nothing stored, nothing audited.
    expect((await call('viewer', `/api/v1/risk-assessments?use_case_id=${id}`)).body.assessments).toEqual([]);
    expect(await governanceActions()).toEqual(before);
    // A wrong answer is still refused, and scope still holds.
    const wrong = await call('viewer', '/api/v1/risk-assessments?dry_run=true', {
      json: { use_case_id: id, answers: { scale: 'lots' } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].path).toEqual(['answers', 'scale']);
    const outsider = await call('outsider', '/api/v1/risk-assessments?dry_run=true', {
      json: { use_case_id: id, answers: benign },
    });
    expect(outsider.status).toBe(404);
    // Saved, the assessment carries the same controls.
    const saved = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: { ...benign, domain: ['credit_scoring'] } },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.required_controls.map((control: { id: string }) => control.id)).toEqual(controlIds);
    const read = await call('viewer', `/api/v1/risk-assessments/${saved.body.id}`);
    expect(read.body.required_controls).toEqual(saved.body.required_controls);
  });

  it('lets an admin replace the questionnaire: validated, versioned, audited, used from then on', async () => {
    const current = (await call('viewer', '/api/v1/risk-assessments/questionnaire')).body.questionnaire;
    const stricter = { ...current, version: '2026.1-acme', tiers: { limited: 1, high: 2 } };
    expect(
      (await call('editor', '/api/v1/risk-assessments/questionnaire', { method: 'PUT', json: stricter }))
        .status,
    ).toBe(403);
    const invalid = await call('admin', '/api/v1/risk-assessments/questionnaire', {
      method: 'PUT',
      json: { ...stricter, title: { en: 'English only' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues[0].path).toEqual(['title', 'ko']);
    const replaced = await call('admin', '/api/v1/risk-assessments/questionnaire', {
      method: 'PUT',
      json: stricter,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ revision: 1, source: 'project' });
    const id = await useCase('stricter');
    const res = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: benign },
    });
    expect(res.body).toMatchObject({ tier: 'high', questionnaire: { version: '2026.1-acme', revision: 1 } });
    // The controls come from the project's questionnaire: replace them, and its results list its own.
    const own = await call('admin', '/api/v1/risk-assessments/questionnaire', {
      method: 'PUT',
      json: {
        ...stricter,
        controls: [
          {
            id: 'acme.board',
            source: 'acme',
            citation: 'Policy 7',
            text: { en: 'Risk board sign-off.', ko: '위험 위원회 승인.' },
            when: { tier: ['high'] },
          },
        ],
      },
    });
    expect(own.body.revision).toBe(2);
    const withOwn = await call('editor', '/api/v1/risk-assessments', {
      json: { use_case_id: id, answers: benign },
    });
    expect(withOwn.body.required_controls).toEqual([
      {
        id: 'acme.board',
        source: 'acme',
        citation: 'Policy 7',
        text: { en: 'Risk board sign-off.', ko: '위험 위원회 승인.' },
        reason: { en: 'risk tier high', ko: '위험 등급 high' },
      },
    ]);
    expect(await governanceActions()).toContain('governance.risk_questionnaire.replace');
    // The other project still answers the built-in questionnaire.
    expect((await call('outsider', '/api/v1/risk-assessments/questionnaire')).body.revision).toBe(0);
  });
});
