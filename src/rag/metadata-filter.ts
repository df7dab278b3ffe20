/**
 * @module rag/metadata-filter
 * Evaluates `MetadataFilter`s (equality, `$in`, ranges, `$exists`, `$and` / `$or`) against a
 * chunk's metadata, and validates filters that arrive from outside before they are used.
 */
import { KeelError } from '../core/errors.js';
import type { MetadataCondition, MetadataFilter, MetadataValue } from '../spec/lexical-index.js';

const operators = new Set(['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$exists']);

function scalarEquals(value: MetadataValue | undefined, expected: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => item === expected);
  return value === expected;
}

function compare(value: MetadataValue | undefined, bound: number | string, test: (order: number) => boolean) {
  const values = Array.isArray(value) ? value : [value];
  return values.some((item) => {
    if (typeof item === 'number' && typeof bound === 'number') return test(item - bound);
    if (typeof item === 'string' && typeof bound === 'string')
      return test(item < bound ? -1 : item > bound ? 1 : 0);
    return false;
  });
}

function matchesCondition(value: MetadataValue | undefined, condition: MetadataCondition): boolean {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    if (Array.isArray(condition)) {
      return (
        Array.isArray(value) && value.length === condition.length && value.every((v, i) => v === condition[i])
      );
    }
    return scalarEquals(value, condition);
  }
  for (const [operator, operand] of Object.entries(condition)) {
    switch (operator) {
      case '$eq':
        if (!scalarEquals(value, operand)) return false;
        break;
      case '$ne':
        if (scalarEquals(value, operand)) return false;
        break;
      case '$in':
        if (!(operand as unknown[]).some((item) => scalarEquals(value, item))) return false;
        break;
      case '$nin':
        if ((operand as unknown[]).some((item) => scalarEquals(value, item))) return false;
        break;
      case '$gt':
        if (!compare(value, operand as number | string, (order) => order > 0)) return false;
        break;
      case '$gte':
        if (!compare(value, operand as number | string, (order) => order >= 0)) return false;
        break;
      case '$lt':
        if (!compare(value, operand as number | string, (order) => order < 0)) return false;
        break;
      case '$lte':
        if (!compare(value, operand as number | string, (order) => order <= 0)) return false;
        break;
      case '$exists':
        if ((value !== undefined && value !== null) !== operand) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * True when `metadata` satisfies `filter`.
 *
 * @example
 * matchesFilter({ lang: 'ko', page: 4 }, { lang: 'ko', page: { $gte: 3 } }) // true
 */
export function matchesFilter(
  metadata: Readonly<Record<string, MetadataValue>> | undefined,
  filter: MetadataFilter,
): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and') {
      if (!(condition as MetadataFilter[]).every((inner) => matchesFilter(metadata, inner))) return false;
    } else if (key === '$or') {
      if (!(condition as MetadataFilter[]).some((inner) => matchesFilter(metadata, inner))) return false;
    } else if (!matchesCondition(metadata?.[key], condition as MetadataCondition)) return false;
  }
  return true;
}

/** Throws `invalid_request` naming the first unknown operator or malformed operand. */
export function assertValidFilter(
  filter: unknown,
  path: (string | number)[] = ['filter'],
): asserts filter is MetadataFilter {
  const fail = (message: string, at: (string | number)[]) => {
    throw new KeelError('invalid_request', message, {
      issues: [{ code: 'invalid_filter', path: at, message }],
    });
  };
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter))
    fail('A filter must be an object.', path);
  for (const [key, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition)) fail(`${key} takes an array of filters.`, [...path, key]);
      (condition as unknown[]).forEach((inner, index) => assertValidFilter(inner, [...path, key, index]));
      continue;
    }
    if (key.startsWith('$')) fail(`Unknown filter operator ${key}.`, [...path, key]);
    if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      for (const [operator, operand] of Object.entries(condition)) {
        if (!operators.has(operator)) fail(`Unknown filter operator ${operator}.`, [...path, key, operator]);
        if ((operator === '$in' || operator === '$nin') && !Array.isArray(operand)) {
          fail(`${operator} takes an array.`, [...path, key, operator]);
        }
        if (operator === '$exists' && typeof operand !== 'boolean')
          fail('$exists takes true or false.', [...path, key]);
      }
    }
  }
}
