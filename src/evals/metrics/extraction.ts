/**
 * @module evals/metrics/extraction
 * Precision, recall and F1 for extraction outputs, micro-averaged over the corpus.
 * - Spans: each item is a list of extracted strings; spans are normalised (SQuAD's rules, or the
 *   Korean ones when Hangul is present) and matched as multisets.
 * - Fields: each item is a JSON object (or its JSON text); a field is right when the predicted
 *   value equals the reference value after normalisation (strings) or as canonical JSON (others).
 *   A wrong value counts as a false positive and a false negative; per-field scores are in details.
 */
import { invalid } from './inputs.js';
import { normalizeKorean, normalizeSquad } from './qa.js';

const hangul = /[\uac00-\ud7a3]/;

function normalizeSpan(span: string): string {
  return hangul.test(span) ? normalizeKorean(span) : normalizeSquad(span);
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp > 0 ? tp / (tp + fp) : tp + fp + fn === 0 ? 1 : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : tp + fp + fn === 0 ? 1 : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

export function spanList(value: unknown, field: 'predictions' | 'references', index: number): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((span) => typeof span === 'string')) return value as string[];
  throw invalid('invalid_type', [field, index], `${field}[${index}] must be a list of strings.`);
}

export function spanScores(predicted: readonly string[], gold: readonly string[]): Prf {
  const counts = new Map<string, number>();
  for (const span of gold) {
    const key = normalizeSpan(span);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let tp = 0;
  for (const span of predicted) {
    const key = normalizeSpan(span);
    const left = counts.get(key) ?? 0;
    if (left > 0) {
      tp++;
      counts.set(key, left - 1);
    }
  }
  return prf(tp, predicted.length - tp, gold.length - tp);
}

export function asObject(
  value: unknown,
  field: 'predictions' | 'references',
  index: number,
): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid('invalid_json', [field, index], `${field}[${index}] is not valid JSON.`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('invalid_type', [field, index], `${field}[${index}] must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

function canonical(value: unknown): string {
  if (typeof value === 'string') return `s:${normalizeSpan(value)}`;
  if (Array.isArray(value)) return `a:[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `o:{${entries.join(',')}}`;
  }
  return `v:${JSON.stringify(value ?? null)}`;
}

export interface FieldCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Counts per field for one item; adds into `perField`. */
export function fieldCounts(
  predicted: Record<string, unknown>,
  gold: Record<string, unknown>,
  perField: Map<string, FieldCounts>,
): FieldCounts {
  const item: FieldCounts = { tp: 0, fp: 0, fn: 0 };
  const bump = (field: string, key: keyof FieldCounts) => {
    const counts = perField.get(field) ?? { tp: 0, fp: 0, fn: 0 };
    counts[key]++;
    perField.set(field, counts);
    item[key]++;
  };
  const present = (value: unknown) => value !== undefined && value !== null && value !== '';
  for (const field of new Set([...Object.keys(predicted), ...Object.keys(gold)])) {
    const p = predicted[field];
    const g = gold[field];
    if (present(p) && present(g)) {
      if (canonical(p) === canonical(g)) bump(field, 'tp');
      else {
        bump(field, 'fp');
        bump(field, 'fn');
      }
    } else if (present(p)) bump(field, 'fp');
    else if (present(g)) bump(field, 'fn');
  }
  return item;
}
