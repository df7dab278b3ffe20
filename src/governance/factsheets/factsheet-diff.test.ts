import { describe, expect, it } from 'vitest';
import type { Factsheet, FactsheetSection } from '../../api/factsheets.js';
import { diffFactsheets } from './factsheet-diff.js';
import { factsheetMarkdown } from './factsheet-markdown.js';

function sheet(version: number, sections: Partial<Record<string, FactsheetSection['items']>>): Factsheet {
  const ids = ['models', 'evaluations', 'deployments'] as const;
  return {
    schema: 'keel.factsheet/v1',
    generated_at: new Date(2026, 0, version).toISOString(),
    project_id: 'prj_1',
    use_case: {
      id: 'guc_1',
      name: '요약',
      purpose: 'summaries | notes',
      business_owner: null,
      status: 'active',
      tags: [],
      created_by: null,
      created_at: new Date(2026, 0, 1).toISOString(),
    },
    approach: { id: `gap_${version}`, version, name: `v${version}`, description: '', thresholds: {} },
    approaches: [],
    sections: ids.map((id) => ({
      id,
      title: { en: id, ko: id },
      empty: !(sections[id]?.length ?? 0),
      items: sections[id] ?? [],
      omitted: 0,
    })),
    events: { total: 0, first_at: null, last_at: null, last_seq: null, actions: {} },
    outlines: { eu_annex_iv: [], korea_basic_act: [] },
  };
}

describe('factsheet diff', () => {
  it('compares items by label and fields by name, leaving ids and times out', () => {
    const before = sheet(1, {
      models: [{ label: 'granite', fields: { id: 'gas_1', version: 1, at: 'x' } }],
      evaluations: [
        { label: 'eval', fields: { 'metric.f1': 0.7 } },
        { label: 'eval', fields: { 'metric.f1': 0.8 } },
      ],
    });
    const after = sheet(2, {
      models: [{ label: 'granite', fields: { id: 'gas_9', version: 2, at: 'y' } }],
      evaluations: [{ label: 'eval', fields: { 'metric.f1': 0.75 } }],
      deployments: [{ label: 'dep', fields: { stage: 'deploy' } }],
    });
    expect(diffFactsheets(before, after)).toEqual([
      { path: 'approach.name', kind: 'changed', from: 'v1', to: 'v2' },
      { path: 'deployments[dep]', kind: 'added', to: true },
      { path: 'deployments[dep].stage', kind: 'added', to: 'deploy' },
      { path: 'evaluations[eval].metric.f1', kind: 'changed', from: 0.7, to: 0.75 },
      { path: 'evaluations[eval#2]', kind: 'removed', from: true },
      { path: 'evaluations[eval#2].metric.f1', kind: 'removed', from: 0.8 },
      { path: 'models[granite].version', kind: 'changed', from: 1, to: 2 },
    ]);
    expect(diffFactsheets(before, before)).toEqual([]);
  });

  it('keeps Markdown tables intact when values hold pipes and new lines', () => {
    const text = factsheetMarkdown(
      sheet(1, { models: [{ label: 'a|b', fields: { note: 'one\ntwo | three' } }] }),
      'ko',
    );
    expect(text).toContain('| 목적 | summaries \\| notes |');
    expect(text).toContain('  - note: one two \\| three');
    expect(text).toContain('## deployments\n\n_기록 없음._');
  });
});
