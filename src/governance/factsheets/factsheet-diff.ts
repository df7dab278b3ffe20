/**
 * @module governance/factsheets/factsheet-diff
 * Two factsheets of the same use case (two approach versions), field by field. Each sheet is
 * flattened to paths — `approach.thresholds.rougeL.min`, `prompt_templates[support-answer].model_id`
 * — with section items keyed by their label (a repeated label gets `#2`, `#3` …), so an asset that
 * is in both approaches is compared field by field and one in only one is added or removed.
 * Identifiers, sequence numbers and timestamps, which differ between any two versions, are left
 * out; so are the capture summary and the generation time.
 */
import type { Factsheet, FactsheetChange } from '../../api/factsheets.js';

type Value = string | number | boolean | null;

const noise = new Set(['id', 'seq', 'at', 'completed_at']);

function flat(sheet: Factsheet): Map<string, Value> {
  const out = new Map<string, Value>();
  const put = (path: string, value: unknown) => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      out.set(path, value as Value);
      return;
    }
    if (Array.isArray(value)) {
      out.set(path, value.join(', '));
      return;
    }
    for (const [key, inner] of Object.entries(value)) put(`${path}.${key}`, inner);
  };
  if (sheet.approach) {
    put('approach.name', sheet.approach.name);
    put('approach.description', sheet.approach.description);
    put('approach.thresholds', sheet.approach.thresholds);
  }
  for (const section of sheet.sections) {
    const seen = new Map<string, number>();
    for (const item of section.items) {
      const count = (seen.get(item.label) ?? 0) + 1;
      seen.set(item.label, count);
      const key = `${section.id}[${item.label}${count > 1 ? `#${count}` : ''}]`;
      out.set(key, true);
      for (const [field, value] of Object.entries(item.fields))
        if (!noise.has(field)) out.set(`${key}.${field}`, value);
    }
  }
  for (const [name, items] of Object.entries(sheet.outlines))
    for (const item of items) out.set(`outlines.${name}.${item.id}.filled`, item.filled);
  return out;
}

export function diffFactsheets(from: Factsheet, to: Factsheet): FactsheetChange[] {
  const before = flat(from);
  const after = flat(to);
  const changes: FactsheetChange[] = [];
  for (const [path, value] of before) {
    if (!after.has(path)) changes.push({ path, kind: 'removed', from: value });
    else if (after.get(path) !== value)
      changes.push({ path, kind: 'changed', from: value, to: after.get(path)! });
  }
  for (const [path, value] of after) if (!before.has(path)) changes.push({ path, kind: 'added', to: value });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}
