/**
 * @module tuning/export/training-records
 * The records of a training-spec export, in watsonx.ai's tuning format: one `{"input", "output"}`
 * pair per example. They come from an evaluation dataset version (the item's input values, and its
 * label or first reference as the output) or from a JSONL file / JSON array of such pairs (also
 * `prompt`/`completion`). A record that cannot be used is reported with a coded reason and skipped;
 * it never fails the export. Records split into train and validation by the data's own splits, or
 * by a seeded random share.
 */
import { createHash } from 'node:crypto';
import { KeelError } from '../../core/errors.js';
import type { StoredItem } from '../../evals/index.js';
import { DEV_NAMES, expected, inputText } from '../prompt-optimisation/prompt-job.js';
import { seededRandom, shuffleInPlace } from '../seeded-random.js';

export interface TrainingRecord {
  input: string;
  output: string;
}

/** A record left out, where it was (a file line or a dataset ordinal) and why. */
export interface SkippedRecord {
  at: string;
  code: 'invalid_json' | 'not_an_object' | 'missing_input' | 'missing_output' | 'no_reference_output';
  message: string;
}

export interface ReadRecords {
  records: (TrainingRecord & { split: string | null })[];
  skipped: SkippedRecord[];
}

/** Skipped records reported in full; the rest are only counted. */
export const MAX_REPORTED_SKIPS = 100;

/** Records a dataset version yields; an item with no label or reference output is skipped. */
export function recordsFromItems(items: readonly StoredItem[]): ReadRecords {
  const records: ReadRecords['records'] = [];
  const skipped: SkippedRecord[] = [];
  for (const item of items) {
    const output = expected(item);
    const input = inputText(item);
    if (output === null || output === '') {
      skipped.push({
        at: `item ${item.ordinal}`,
        code: 'no_reference_output',
        message: 'no label or reference',
      });
    } else if (!input.trim()) {
      skipped.push({ at: `item ${item.ordinal}`, code: 'missing_input', message: 'no input values' });
    } else {
      records.push({ input, output, split: item.split });
    }
  }
  return { records, skipped };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function recordOf(value: unknown, at: string, skipped: SkippedRecord[]): TrainingRecord | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    skipped.push({ at, code: 'not_an_object', message: 'a record is a JSON object' });
    return undefined;
  }
  const row = value as Record<string, unknown>;
  const input = text(row.input ?? row.prompt);
  const output = text(row.output ?? row.completion);
  if (!input?.trim()) {
    skipped.push({ at, code: 'missing_input', message: '"input" is missing or not a string' });
    return undefined;
  }
  if (output === undefined || output === '') {
    skipped.push({ at, code: 'missing_output', message: '"output" is missing or not a string' });
    return undefined;
  }
  return { input, output };
}

/**
 * Records of a file: a JSON array of records, or JSON lines (one record a line). A line that is not
 * JSON, not an object, or lacks an input or output is skipped with its line number.
 */
export function recordsFromFile(bytes: Uint8Array, name: string): ReadRecords {
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KeelError('invalid_dataset', `${name} is not UTF-8 text.`, {
      issues: [{ code: 'invalid_encoding', path: ['file'], message: 'not UTF-8' }],
    });
  }
  const records: ReadRecords['records'] = [];
  const skipped: SkippedRecord[] = [];
  const trimmed = content.trimStart();
  if (trimmed.startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(trimmed);
    } catch (error) {
      throw new KeelError('invalid_dataset', `${name} starts as a JSON array but is not valid JSON.`, {
        issues: [{ code: 'invalid_json', path: ['file'], message: (error as Error).message.slice(0, 200) }],
      });
    }
    (array as unknown[]).forEach((value, index) => {
      const record = recordOf(value, `record ${index + 1}`, skipped);
      if (record) records.push({ ...record, split: null });
    });
    return { records, skipped };
  }
  content.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped.push({ at: `line ${index + 1}`, code: 'invalid_json', message: 'not valid JSON' });
      return;
    }
    const record = recordOf(value, `line ${index + 1}`, skipped);
    if (record) records.push({ ...record, split: null });
  });
  return { records, skipped };
}

/** Throws the coded error for data that yields no usable record. */
export function requireRecords(read: ReadRecords, source: string): void {
  if (read.records.length > 0) return;
  if (read.skipped.length === 0) {
    throw new KeelError('invalid_dataset', `${source} has no records.`, {
      issues: [{ code: 'empty_dataset', path: ['dataset'], message: 'no records' }],
    });
  }
  const unlabelled = read.skipped.every(
    (s) => s.code === 'no_reference_output' || s.code === 'missing_output',
  );
  throw new KeelError(
    'invalid_dataset',
    unlabelled
      ? `${source} has no reference outputs: a training record needs an output.`
      : `${source} has no usable record (${read.skipped.length} skipped).`,
    {
      issues: [
        unlabelled
          ? { code: 'unlabelled_dataset', path: ['dataset'], message: 'no label or reference output' }
          : { code: 'empty_dataset', path: ['dataset'], message: read.skipped[0]?.message ?? 'no records' },
      ],
    },
  );
}

export interface SplitRecords {
  train: TrainingRecord[];
  validation: TrainingRecord[];
  /** Records of other splits (e.g. `test`), kept out of training and validation. */
  heldOut: number;
  method: 'dataset_splits' | 'validation_file' | 'seeded_random' | 'none';
}

const VALIDATION_NAMES = DEV_NAMES.filter((name) => name !== 'test');
const strip = ({ input, output }: TrainingRecord): TrainingRecord => ({ input, output });

/**
 * Train and validation records. Given validation records (a file) they are the validation set.
 * A dataset with a `train` split and a validation split (`dev`, `validation`, `valid`, `val`) keeps
 * them; other named splits (`test`) are held out. Otherwise a seeded `fraction` of the records,
 * at least one when the fraction is above 0, is validation.
 */
export function splitRecords(
  records: ReadRecords['records'],
  options: { fraction: number; seed: number; validation?: TrainingRecord[] | undefined },
): SplitRecords {
  if (options.validation) {
    return {
      train: records.map(strip),
      validation: options.validation,
      heldOut: 0,
      method: 'validation_file',
    };
  }
  const named = records.some((r) => r.split !== null);
  const validation = records.filter((r) => r.split !== null && VALIDATION_NAMES.includes(r.split));
  if (named && validation.length > 0) {
    const train = records.filter((r) => r.split === null || r.split === 'train');
    return {
      train: train.map(strip),
      validation: validation.map(strip),
      heldOut: records.length - train.length - validation.length,
      method: 'dataset_splits',
    };
  }
  const pool = named ? records.filter((r) => r.split === null || r.split === 'train') : records;
  const heldOut = records.length - pool.length;
  if (options.fraction <= 0 || pool.length < 2) {
    return { train: pool.map(strip), validation: [], heldOut, method: 'none' };
  }
  const order = shuffleInPlace(
    pool.map((_, index) => index),
    seededRandom(options.seed),
  );
  const count = Math.min(pool.length - 1, Math.max(1, Math.round(pool.length * options.fraction)));
  const chosen = new Set(order.slice(0, count));
  return {
    train: pool.filter((_, index) => !chosen.has(index)).map(strip),
    validation: pool.filter((_, index) => chosen.has(index)).map(strip),
    heldOut,
    method: 'seeded_random',
  };
}

/** watsonx.ai's tuning JSONL: one `{"input", "output"}` object a line. */
export function watsonxJsonl(records: readonly TrainingRecord[]): string {
  return records.map((r) => `${JSON.stringify({ input: r.input, output: r.output })}\n`).join('');
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
