import { existsSync } from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Factsheet, factsheetDiffSchema, factsheetSchema } from '../../../api/factsheets.js';
import type { Answers } from '../../../api/governance-risk.js';
import type { TemplateBody } from '../../../api/prompts.js';
import { factsheetPdf } from '../../../governance/factsheets/factsheet-pdf.js';
import { keyedCalls } from '../../../testing/keyed-calls.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
const { keys, call, mintKey } = keyedCalls(() => keel);
let useCaseId: string;

const answers: Answers = {
  purpose_description: '고객 문의 요약 / summaries of customer tickets',
  purpose_function: 'content_generation',
  prohibited_practices: ['none'],
  domain: ['general'],
  affected_people: ['internal_staff'],
  scale: 'under_10k',
  impact_severity: 'inconvenience',
  autonomy: 'human_review',
  reversibility: 'easily_reversed',
  data_categories: ['personal_data'],
  interaction: ['not_exposed'],
};

const body: TemplateBody = {
  mode: 'freeform',
  text: 'Summarise {{text}}',
  variables: [{ name: 'text', type: 'string' }],
  model_id: 'echo:reverse',
  parameters: { temperature: 0.2, max_new_tokens: 200 },
};

async function ok(who: string, path: string, json: unknown) {
  const res = await call(who, path, { json });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  keel = await createTestKeel();
  keys.editor = await mintKey('editor', 'editor');
  keys.validator = await mintKey('validator', 'validator');
  keys.viewer = await mintKey('viewer', 'viewer');
  const other = await (await keel.call('/api/v1/projects', { json: { name: 'elsewhere' } })).json();
  keys.outsider = await mintKey('outsider', 'admin', other.id);

  await ok('editor', '/api/v1/prompts', { name: 'ticket-summary', template: body });
  const useCase = await ok('editor', '/api/v1/use-cases', {
    name: '상담 요약',
    purpose: 'Summarise support tickets for agents',
    business_owner: 'support lead',
    tags: ['support'],
    approach: { name: 'prompted', thresholds: { rougeL: { min: 0.3 } } },
  });
  useCaseId = useCase.id;
  const template = await ok('editor', '/api/v1/assets', {
    use_case_id: useCaseId,
    kind: 'prompt_template',
    ref: 'ticket-summary',
    version: 1,
  });
  await ok('editor', '/api/v1/assets', {
    use_case_id: useCaseId,
    kind: 'dataset',
    ref: 'tickets-2026-q1',
    metadata: { sha256: 'ab'.repeat(32), rows: 1200 },
  });
  await ok('editor', '/api/v1/assets', {
    use_case_id: useCaseId,
    kind: 'evaluation_run',
    ref: 'eval-1',
    results: { metrics: { rougeL: 0.41 } },
  });
  for (const to of ['develop', 'validate'])
    await ok('editor', `/api/v1/assets/${template.id}/transitions`, { to });
  await ok('editor', '/api/v1/risk-assessments', { use_case_id: useCaseId, answers });
  await ok('validator', `/api/v1/assets/${template.id}/validation-report`, {
    summary: 'checked 200 tickets',
    passed: true,
  });
  await ok('validator', `/api/v1/assets/${template.id}/transitions`, { to: 'approve' });
  await ok('validator', '/api/v1/approvals', {
    asset_id: template.id,
    decision: 'go',
    reasons: 'meets thresholds',
  });
});
afterAll(async () => {
  await keel?.close();
});

const section = (sheet: Factsheet, id: string) => sheet.sections.find((s) => s.id === id)!;

describe('factsheets', () => {
  it('are captured from what governance recorded, with empty sections marked', async () => {
    const res = await call('viewer', `/api/v1/factsheets/${useCaseId}`);
    expect(res.status).toBe(200);
    const sheet = factsheetSchema.parse(res.body);
    expect(sheet.use_case).toMatchObject({ name: '상담 요약', business_owner: 'support lead' });
    expect(sheet.approach).toMatchObject({ version: 1, thresholds: { rougeL: { min: 0.3 } } });
    expect(section(sheet, 'prompt_templates').items[0]!.fields).toMatchObject({
      ref: 'ticket-summary',
      version: 1,
      model_id: 'echo:reverse',
      'parameters.temperature': 0.2,
      stage: 'approve',
    });
    expect(section(sheet, 'models').items.map((item) => item.label)).toContain('echo:reverse');
    expect(section(sheet, 'datasets').items[0]!.fields['metadata.sha256']).toBe('ab'.repeat(32));
    expect(section(sheet, 'evaluations').items[0]!.fields).toMatchObject({
      'metric.rougeL': 0.41,
      'threshold.rougeL': '≥ 0.3',
      'pass.rougeL': true,
      meets_thresholds: true,
    });
    expect(section(sheet, 'risk').items[0]!.fields).toMatchObject({
      tier: 'limited',
      korea_high_impact: false,
    });
    // The controls the assessment calls for are facts of the sheet, with their reasons.
    const validation = section(sheet, 'risk').items.find((item) => item.label === 'control: keel.validation');
    expect(validation?.fields).toMatchObject({ source: 'keel', because_en: 'risk tier limited' });
    expect(section(sheet, 'approvals').items[0]!.fields).toMatchObject({
      decision: 'go',
      reasons: 'meets thresholds',
    });
    expect(section(sheet, 'lifecycle').items.map((item) => item.fields.to)).toEqual(
      expect.arrayContaining(['develop', 'validate', 'approve']),
    );
    for (const empty of ['deployments', 'monitors', 'incidents', 'rag_collections'])
      expect(section(sheet, empty), empty).toMatchObject({ empty: true, items: [] });
    expect(sheet.events.total).toBeGreaterThan(5);
    expect(sheet.events.actions['governance.risk_assessment.complete']).toBe(1);
    const eu = Object.fromEntries(sheet.outlines.eu_annex_iv.map((item) => [item.id, item]));
    expect(eu['1']).toMatchObject({ filled: true, gap: null });
    expect(eu['5']!.filled).toBe(true);
    expect(eu['7']!.filled).toBe(false);
    expect(eu['9']!.gap!.en).toContain('Monitors and alerts');
    const korea = Object.fromEntries(sheet.outlines.korea_basic_act.map((item) => [item.id, item]));
    expect(korea.art33!.filled).toBe(true);
    expect(korea['art34-3']!.gap!.ko).toContain('가드레일 정책');
  });

  it('export as Markdown in English or Korean', async () => {
    const en = await call('viewer', `/api/v1/factsheets/${useCaseId}?format=md`);
    expect(en.res.headers.get('content-type')).toContain('text/markdown');
    expect(en.res.headers.get('content-disposition')).toContain("filename*=UTF-8''factsheet-");
    const text = await en.res.text();
    expect(text).toContain('# Factsheet: 상담 요약');
    expect(text).toContain('## Deployments\n\n_Nothing recorded._');
    expect(text).toContain('⚠️ GAP');
    const ko = await (await call('viewer', `/api/v1/factsheets/${useCaseId}?format=md&lang=ko`)).res.text();
    expect(ko).toContain('## 모델');
    expect(ko).toContain('인공지능기본법');
  });

  it('export as PDF (Korean needs a Hangul font on the server; without one a coded 501)', async () => {
    const res = await call('viewer', `/api/v1/factsheets/${useCaseId}?format=pdf`);
    if (res.status === 501) {
      expect(res.body.error.code).toBe('font_unavailable');
      return;
    }
    expect(res.status).toBe(200);
    expect(res.res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    expect(text).toContain('Factsheet');
    expect(text).toContain('Annex IV');
    expect(res.res.headers.get('x-keel-pdf-hangul')).toBe('true');
    expect(text).toContain('상담 요약');
  });

  it('refuse a Korean factsheet when the configured font has no Hangul (font_unavailable)', async () => {
    const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    if (!existsSync(dejavu)) return;
    const sheet = factsheetSchema.parse((await call('viewer', `/api/v1/factsheets/${useCaseId}`)).body);
    await expect(factsheetPdf(sheet, { fontPath: dejavu, fontCandidates: [] })).rejects.toMatchObject({
      code: 'font_unavailable',
    });
  });

  it("answer another project's use case with the same 404 as a missing one, and audit the refusal", async () => {
    const outsider = await call('outsider', `/api/v1/factsheets/${useCaseId}?format=pdf`);
    const missing = await call('viewer', '/api/v1/factsheets/guc_missing');
    expect(outsider.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(outsider.body.error.issues[0].code).toBe('unknown_use_case');
    expect(missing.body.error.issues[0].code).toBe('unknown_use_case');
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<{ action: string; detail: string }>(
      "SELECT action, detail FROM audit_log WHERE action LIKE 'governance.factsheet.%' ORDER BY seq",
    );
    expect(rows.filter((row) => row.action === 'governance.factsheet.refused')).toHaveLength(2);
    expect(rows.filter((row) => row.action === 'governance.factsheet.export').length).toBeGreaterThan(2);
  });

  it('diff two approach versions field by field', async () => {
    await ok('editor', `/api/v1/use-cases/${useCaseId}/approaches`, {
      name: 'prompted + rag',
      thresholds: { rougeL: { min: 0.35 }, faithfulness: { min: 0.8 } },
    });
    await ok('editor', '/api/v1/assets', {
      use_case_id: useCaseId,
      kind: 'evaluation_run',
      ref: 'eval-2',
      name: 'eval-1',
      results: { metrics: { rougeL: 0.33, faithfulness: 0.9 } },
    });
    const res = await call(
      'viewer',
      `/api/v1/factsheets/${encodeURIComponent('상담 요약')}/diff?from=1&to=2`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const diff = factsheetDiffSchema.parse(res.body);
    expect(diff.from.version).toBe(1);
    expect(diff.to.version).toBe(2);
    const byPath = Object.fromEntries(diff.changes.map((change) => [change.path, change]));
    expect(byPath['approach.name']).toMatchObject({
      kind: 'changed',
      from: 'prompted',
      to: 'prompted + rag',
    });
    expect(byPath['approach.thresholds.rougeL.min']).toMatchObject({ kind: 'changed', from: 0.3, to: 0.35 });
    expect(byPath['approach.thresholds.faithfulness.min']).toMatchObject({ kind: 'added', to: 0.8 });
    expect(byPath['evaluations[eval-1].metric.rougeL']).toMatchObject({ from: 0.41, to: 0.33 });
    expect(byPath['evaluations[eval-1].pass.rougeL']).toMatchObject({ from: true, to: false });
    expect(byPath['prompt_templates[ticket-summary]']).toMatchObject({ kind: 'removed' });
    const bad = await call('viewer', `/api/v1/factsheets/${useCaseId}/diff?from=1&to=9`);
    expect(bad.status).toBe(404);
    expect(bad.body.error.issues[0].code).toBe('unknown_approach');
  });
});
