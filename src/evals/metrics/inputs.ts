/**
 * @module evals/metrics/inputs
 * Checks and coerces metric inputs; every mistake is a `KeelError('invalid_request')` with a coded
 * issue whose path names the field (and the item), so callers can point at the bad cell.
 */
import { KeelError } from '../../core/errors.js';

export type Field = 'predictions' | 'references' | 'sources' | 'contexts' | 'labels' | 'groups' | 'options';

export function invalid(code: string, path: (string | number)[], message: string): KeelError {
  return new KeelError('invalid_request', message, { issues: [{ code, path, message }] });
}

/** The array a metric needs; a coded `missing_<field>` error when absent, `length_mismatch` when not aligned. */
export function required(
  metric: string,
  field: Field,
  value: readonly unknown[] | undefined,
  length: number,
): readonly unknown[] {
  if (value === undefined || value === null) {
    throw invalid(`missing_${field}`, [field], `The metric ${metric} needs ${field}.`);
  }
  if (!Array.isArray(value)) throw invalid('invalid_type', [field], `${field} must be an array.`);
  if (value.length !== length) {
    throw invalid(
      'length_mismatch',
      [field],
      `${field} has ${value.length} items but predictions has ${length}; they must be aligned.`,
    );
  }
  return value;
}

export function asString(value: unknown, field: Field, index: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid('invalid_type', [field, index], `${field}[${index}] must be a string.`);
}

export function strings(values: readonly unknown[], field: Field): string[] {
  return values.map((value, index) => asString(value, field, index));
}

/** One or several references per item, always as a non-empty list. */
export function referenceLists(values: readonly unknown[], field: Field = 'references'): string[][] {
  return values.map((value, index) => {
    if (Array.isArray(value)) {
      if (value.length === 0) {
        throw invalid('empty_references', [field, index], `${field}[${index}] has no reference.`);
      }
      return value.map((entry, j) => {
        if (typeof entry !== 'string') {
          throw invalid('invalid_type', [field, index, j], `${field}[${index}][${j}] must be a string.`);
        }
        return entry;
      });
    }
    return [asString(value, field, index)];
  });
}

export function stringLists(values: readonly unknown[], field: Field): string[][] {
  return values.map((value, index) => {
    if (!Array.isArray(value)) {
      throw invalid('invalid_type', [field, index], `${field}[${index}] must be an array of ids.`);
    }
    return value.map((entry, j) => {
      if (typeof entry !== 'string' && typeof entry !== 'number') {
        throw invalid(
          'invalid_type',
          [field, index, j],
          `${field}[${index}][${j}] must be a string or a number.`,
        );
      }
      return String(entry);
    });
  });
}

export function numbers(values: readonly unknown[], field: Field): number[] {
  return values.map((value, index) => {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw invalid('invalid_type', [field, index], `${field}[${index}] must be a finite number.`);
    }
    return number;
  });
}

export function optionNumber(
  options: Record<string, unknown> | undefined,
  name: string,
  fallback: number,
  check: (value: number) => boolean = () => true,
): number {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw invalid('invalid_option', ['options', name], `options.${name} has an invalid value.`);
  }
  return value;
}

export function optionBoolean(
  options: Record<string, unknown> | undefined,
  name: string,
  fallback: boolean,
): boolean {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw invalid('invalid_option', ['options', name], `options.${name} must be true or false.`);
  }
  return value;
}

export function optionChoice<T extends string>(
  options: Record<string, unknown> | undefined,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw invalid(
      'invalid_option',
      ['options', name],
      `options.${name} must be one of ${choices.join(', ')}.`,
    );
  }
  return value as T;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** F-measure of a precision and a recall; 0 when both are 0. */
export function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}
