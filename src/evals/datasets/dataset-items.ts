/**
 * @module evals/datasets/dataset-items
 * Turns parsed rows into evaluation items through a column mapping (input columns, one or several
 * reference columns, a label, contexts, metadata, a split column), validates each mapped column
 * with coded issues, assigns splits (by column or by a seeded random fraction), and hashes the
 * result: the same content under the same mapping is the same version.
 */
import { createHash } from 'node:crypto';
import { type Issue, KeelError } from '../../core/errors.js';
import type { Row } from './parse-file.js';
import { seededRandom } from './sampling.js';

export interface ColumnMapping {
  /** Columns the target receives (template variables, the question …); default: every unmapped column. */
  input?: string[] | undefined;
  /** Reference output column(s): each may hold one string or an array of strings. */
  reference?: string | string[] | undefined;
  label?: string | undefined;
  /** A column holding a string or an array of strings (passages for RAG metrics). */
  contexts?: string | undefined;
  metadata?: string[] | undefined;
  /** A column naming each row's split (train/dev/test …). */
  split?: string | undefined;
}

/** Random splits: fractions that sum to at most 1 (the rest goes to the last split), and a seed. */
export interface RandomSplits {
  fractions: Record<string, number>;
  seed?: number | undefined;
}

export interface DatasetItem {
  input: Record<string, unknown>;
  references: string[];
  label: string | null;
  contexts: string[];
  metadata: Record<string, unknown>;
  split: string | null;
}

export interface ColumnSummary {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'array' | 'object' | 'mixed' | 'empty';
  empty: number;
  role: 'input' | 'reference' | 'label' | 'contexts' | 'metadata' | 'split' | 'unused';
}

export interface MappedDataset {
  items: DatasetItem[];
  columns: ColumnSummary[];
  splits: Record<string, number>;
  contentHash: string;
  mapping: ColumnMapping;
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function typeOf(value: unknown): ColumnSummary['type'] {
  if (value === null || value === undefined || value === '') return 'empty';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return 'object';
}

/** Texts of a cell: a string, a number, or an array of them (a JSON array in a CSV cell too). */
function texts(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    return value.every((entry) => typeof entry === 'string' || typeof entry === 'number')
      ? value.map(String)
      : undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed)) return texts(parsed);
    } catch {
      // Not JSON: the cell is one text.
    }
  }
  return trimmed === '' ? [] : [value];
}

function roleOf(mapping: ColumnMapping, inputs: readonly string[], column: string): ColumnSummary['role'] {
  if (asList(mapping.reference).includes(column)) return 'reference';
  if (mapping.label === column) return 'label';
  if (mapping.contexts === column) return 'contexts';
  if (mapping.split === column) return 'split';
  if (mapping.metadata?.includes(column)) return 'metadata';
  if (inputs.includes(column)) return 'input';
  return 'unused';
}

function summarize(
  rows: readonly Row[],
  columns: readonly string[],
  role: (c: string) => ColumnSummary['role'],
) {
  return columns.map((name): ColumnSummary => {
    const types = new Set<ColumnSummary['type']>();
    let empty = 0;
    for (const row of rows) {
      const type = typeOf(row[name]);
      if (type === 'empty') empty += 1;
      else types.add(type);
    }
    const type = types.size === 0 ? 'empty' : types.size === 1 ? [...types][0]! : 'mixed';
    return { name, type, empty, role: role(name) };
  });
}

/** Maps rows to items; every problem of every mapped column is one issue (`invalid_dataset`). */
export function mapRows(
  rows: readonly Row[],
  columns: readonly string[],
  mapping: ColumnMapping,
  randomSplits?: RandomSplits | undefined,
): MappedDataset {
  const issues: Issue[] = [];
  const known = new Set(columns);
  const references = asList(mapping.reference);
  const named: [string, string[]][] = [
    ['input', mapping.input ?? []],
    ['reference', references],
    ['label', asList(mapping.label)],
    ['contexts', asList(mapping.contexts)],
    ['metadata', mapping.metadata ?? []],
    ['split', asList(mapping.split)],
  ];
  for (const [role, list] of named) {
    for (const column of list) {
      if (!known.has(column)) {
        issues.push({
          code: role === 'reference' ? 'missing_reference_column' : 'missing_column',
          path: ['mapping', role],
          message: `no column “${column}” (columns: ${columns.slice(0, 20).join(', ')})`,
        });
      }
    }
  }
  if (rows.length === 0) issues.push({ code: 'empty_dataset', path: ['file'], message: 'no rows' });
  if (issues.length)
    throw new KeelError('invalid_dataset', 'The dataset does not fit its column mapping.', { issues });
  const claimed = new Set(named.filter(([role]) => role !== 'input').flatMap(([, list]) => list));
  const inputs = mapping.input ?? columns.filter((column) => !claimed.has(column));
  if (inputs.length === 0) {
    throw new KeelError('invalid_dataset', 'The dataset has no input column.', {
      issues: [
        { code: 'no_input_column', path: ['mapping', 'input'], message: 'map at least one input column' },
      ],
    });
  }
  if (randomSplits && mapping.split) {
    throw new KeelError('invalid_request', 'Give splits by column or by fraction, not both.', {
      issues: [
        { code: 'conflicting_splits', path: ['splits'], message: 'split column and fractions both given' },
      ],
    });
  }
  const random = randomSplits ? splitAssigner(randomSplits) : undefined;
  const items = rows.map((row, index): DatasetItem => {
    const line = index + 1;
    const input: Record<string, unknown> = {};
    for (const column of inputs) input[column] = row[column] ?? null;
    const refs: string[] = [];
    for (const column of references) {
      const values = texts(row[column]);
      if (values === undefined) {
        issues.push({
          code: 'invalid_reference',
          path: ['row', line, column],
          message: 'not text or a list of texts',
        });
      } else refs.push(...values);
    }
    const contexts = mapping.contexts ? texts(row[mapping.contexts]) : [];
    if (contexts === undefined) {
      issues.push({
        code: 'invalid_contexts',
        path: ['row', line, mapping.contexts!],
        message: 'not text or a list of texts',
      });
    }
    const label = mapping.label ? row[mapping.label] : null;
    if (label !== null && label !== undefined && typeof label === 'object') {
      issues.push({
        code: 'invalid_label',
        path: ['row', line, mapping.label!],
        message: 'a label is one value',
      });
    }
    const split = mapping.split ? row[mapping.split] : null;
    const metadata: Record<string, unknown> = {};
    for (const column of mapping.metadata ?? []) metadata[column] = row[column] ?? null;
    return {
      input,
      references: refs,
      label: label === null || label === undefined || label === '' ? null : String(label),
      contexts: contexts ?? [],
      metadata,
      split: random ? random() : split === null || split === undefined || split === '' ? null : String(split),
    };
  });
  if (issues.length)
    throw new KeelError('invalid_dataset', `The dataset has ${issues.length} invalid cell(s).`, { issues });
  const splits: Record<string, number> = {};
  for (const item of items) if (item.split !== null) splits[item.split] = (splits[item.split] ?? 0) + 1;
  const effective: ColumnMapping = { ...mapping, input: inputs };
  const summary = summarize(rows, columns, (column) => roleOf(effective, inputs, column));
  return { items, columns: summary, splits, mapping: effective, contentHash: contentHash(items) };
}

/** Assigns splits in row order with a seeded generator: the same seed gives the same splits. */
function splitAssigner(options: RandomSplits): () => string {
  const entries = Object.entries(options.fractions);
  const total = entries.reduce((sum, [, fraction]) => sum + fraction, 0);
  if (entries.length === 0 || entries.some(([, f]) => !(f >= 0)) || total > 1 + 1e-9) {
    throw new KeelError('invalid_request', 'Split fractions are non-negative and sum to at most 1.', {
      issues: [{ code: 'invalid_fractions', path: ['splits', 'fractions'], message: `sum ${total}` }],
    });
  }
  const next = seededRandom(options.seed ?? 0);
  return () => {
    const draw = next() * total;
    let cumulative = 0;
    for (const [name, fraction] of entries) {
      cumulative += fraction;
      if (draw < cumulative) return name;
    }
    return entries.at(-1)![0];
  };
}

/** sha256 over the items in order (canonical field order): equal content, equal hash. */
export function contentHash(items: readonly DatasetItem[]): string {
  const hash = createHash('sha256');
  for (const item of items) {
    hash.update(
      JSON.stringify([item.input, item.references, item.label, item.contexts, item.metadata, item.split]),
    );
    hash.update('\n');
  }
  return hash.digest('hex');
}
