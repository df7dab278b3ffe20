/**
 * @module data/trino/trino-params
 * Params for a query on Trino, bound on Keel's side through the parsed tree, never by editing the
 * text: each `$n` (or `?`) parameter node DuckDB's parser found is replaced by a constant node of
 * its value, and the tree is printed back as SQL (strings quoted by the printer). Every parameter
 * needs its value and every value its parameter; names (`$name`) are refused.
 */
import { KeelError } from '../../core/errors.js';
import type { QueryParameter } from '../query-runner.js';

type Node = Record<string, unknown>;

function refuse(message: string): never {
  throw new KeelError('invalid_request', message, {
    issues: [{ code: 'param_count', path: ['params'], message }],
  });
}

function constant(value: QueryParameter, location: unknown): Node {
  const typed = (id: string) => ({ type: { id, type_info: null }, is_null: false, value });
  let literal: unknown;
  if (value === null) literal = { type: { id: 'NULL', type_info: null }, is_null: true };
  else if (typeof value === 'string') literal = typed('VARCHAR');
  else if (typeof value === 'boolean') literal = typed('BOOLEAN');
  else if (Number.isSafeInteger(value))
    literal = typed(Math.abs(value) <= 2 ** 31 - 1 ? 'INTEGER' : 'BIGINT');
  else literal = typed('DOUBLE');
  return { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', query_location: location, value: literal };
}

/** Replaces the tree's parameters by `params` (in place); refuses a count that does not match. */
export function bindParameters(tree: unknown, params: readonly QueryParameter[]): void {
  const used = new Set<number>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    for (const [key, child] of Object.entries(node)) {
      const parameter = child as Node | null;
      if (parameter && typeof parameter === 'object' && parameter.class === 'PARAMETER') {
        const identifier = String(parameter.identifier ?? '');
        const index = /^\d+$/.test(identifier) ? Number(identifier) - 1 : -1;
        if (index < 0 || index >= params.length) {
          refuse(`The SQL names parameter $${identifier}, but ${params.length} params were sent.`);
        }
        used.add(index);
        node[key] = constant(params[index]!, parameter.query_location);
      } else if (child && typeof child === 'object') {
        visit(child);
      }
    }
  };
  visit(tree);
  if (used.size !== params.length) {
    refuse(`${params.length} params were sent, but the SQL uses ${used.size}.`);
  }
}
