/**
 * @module prompts/template-diff
 * What changed between two template bodies: one change per field that differs, with a path
 * (`instruction`, `examples.2.output`, `variables.customer.type`), and a line diff for text.
 * Arrays of named things (variables) are matched by name, so inserting one does not make every
 * later entry look changed; other arrays (examples, messages, stop sequences) by position.
 */
import { diffLines, type LineOp } from './line-diff.js';

export interface DiffChange {
  path: (string | number)[];
  kind: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
  lines?: LineOp[];
}

export function diffValues(
  before: unknown,
  after: unknown,
  path: (string | number)[] = [],
  changes: DiffChange[] = [],
): DiffChange[] {
  if (deepEqual(before, after)) return changes;
  if (before === undefined) {
    changes.push({ path, kind: 'added', to: after });
  } else if (after === undefined) {
    changes.push({ path, kind: 'removed', from: before });
  } else if (typeof before === 'string' && typeof after === 'string') {
    changes.push({ path, kind: 'changed', from: before, to: after, lines: diffLines(before, after) });
  } else if (Array.isArray(before) && Array.isArray(after)) {
    if (isNamedList(before) && isNamedList(after)) {
      const names = [...new Set([...before.map((item) => item.name), ...after.map((item) => item.name)])];
      for (const name of names) {
        diffValues(
          before.find((item) => item.name === name),
          after.find((item) => item.name === name),
          [...path, name],
          changes,
        );
      }
    } else {
      for (let index = 0; index < Math.max(before.length, after.length); index++)
        diffValues(before[index], after[index], [...path, index], changes);
    }
  } else if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])])
      diffValues(before[key], after[key], [...path, key], changes);
  } else {
    changes.push({ path, kind: 'changed', from: before, to: after });
  }
  return changes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamedList(value: unknown[]): value is { name: string }[] {
  return value.every((item) => isPlainObject(item) && typeof item.name === 'string');
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}
