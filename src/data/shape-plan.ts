/**
 * @module data/shape-plan
 * Literal queries run through their shape (sql-shape.ts): `WHERE id = 42` and `WHERE id = 7`
 * share one checked plan and one prepared statement, with the constant bound, so a point query
 * written with its value in the text is not parsed, checked and planned again each time.
 *
 * A shape is trusted only after it was checked, once per engine and mask plan, against a query of
 * that shape which the full path had just accepted and run (see docs/decisions/0051):
 * - DuckDB's parser gives the same tree for the shape as for the query, except `$n` where the
 *   query has constant n (same kind and value); the read-only check and the masks look at table
 *   references, never at constant values, so they decide the same for every value;
 * - the shape passes the full check and reads the same tables, masked alike;
 * - its prepared statement has one parameter per constant, each of a type the constant binds as
 *   without changing meaning (an integer into an integer column or a double, a string into
 *   VARCHAR), and the same result columns (names and types) as the query.
 * Anything else marks the shape `full`. A value that does not fit its parameter's type, and any
 * failure of the shaped run but a time-out or a cancellation, take the full path, which decides.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import type { PlannedQuery, ProjectEngine, ShapedPlan } from './engine.js';
import type { GovernanceStore, PlanForRole } from './governance-store.js';
import { preparedFor, releasedForMemory } from './prepared-statements.js';
import { planUnder, rewriteMasked } from './query-plan.js';
import { type QueryParameter, type QueryResult, type RunBounds, runBounded } from './query-runner.js';
import { checkReadOnly, parsedTree } from './sql-check.js';
import { type ShapeSlot, type SqlShape, shapeOf } from './sql-shape.js';

type Bind = (statement: DuckDBPreparedStatement, index: number, value: bigint) => void;

/** Integer parameter types: the range a constant must fall in, and how it is bound. */
const INTEGER_TYPES: Record<string, [min: bigint, max: bigint, bind: Bind]> = {
  TINYINT: [-(2n ** 7n), 2n ** 7n - 1n, (s, i, v) => s.bindTinyInt(i, Number(v))],
  SMALLINT: [-(2n ** 15n), 2n ** 15n - 1n, (s, i, v) => s.bindSmallInt(i, Number(v))],
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n, (s, i, v) => s.bindInteger(i, Number(v))],
  BIGINT: [-(2n ** 63n), 2n ** 63n - 1n, (s, i, v) => s.bindBigInt(i, v)],
  HUGEINT: [-(2n ** 127n), 2n ** 127n - 1n, (s, i, v) => s.bindHugeInt(i, v)],
  UTINYINT: [0n, 2n ** 8n - 1n, (s, i, v) => s.bindUTinyInt(i, Number(v))],
  USMALLINT: [0n, 2n ** 16n - 1n, (s, i, v) => s.bindUSmallInt(i, Number(v))],
  UINTEGER: [0n, 2n ** 32n - 1n, (s, i, v) => s.bindUInteger(i, Number(v))],
  UBIGINT: [0n, 2n ** 64n - 1n, (s, i, v) => s.bindUBigInt(i, v)],
  // Exact in a double (so `score > 5` compares as the literal would, after DuckDB's own cast).
  DOUBLE: [-(2n ** 53n), 2n ** 53n, (s, i, v) => s.bindDouble(i, Number(v))],
};
/** The constant types DuckDB's parser gives an integer literal. */
const INTEGER_CONSTANTS = new Set(['INTEGER', 'BIGINT', 'HUGEINT']);

/** Binds the shape's constants with the types its plan was checked for; undefined when one does not fit. */
function binder(
  types: readonly string[],
  slots: readonly ShapeSlot[],
): ((statement: DuckDBPreparedStatement) => void) | undefined {
  const steps: Array<(statement: DuckDBPreparedStatement) => void> = [];
  for (const [index, slot] of slots.entries()) {
    const type = types[index]!;
    if (slot.kind === 'string') {
      steps.push((statement) => statement.bindVarchar(index + 1, slot.value));
      continue;
    }
    const [min, max, bind] = INTEGER_TYPES[type]!;
    const value = BigInt(slot.value);
    if (value < min || value > max) return undefined;
    steps.push((statement) => bind(statement, index + 1, value));
  }
  return (statement) => {
    for (const step of steps) step(statement);
  };
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `literal` (the query's tree) is `shaped` (the shape's tree) with constant n where the
 * shape has `$n`, each constant of its slot's kind and value. Source offsets are not compared.
 */
function sameTree(
  literal: unknown,
  shaped: unknown,
  slots: readonly ShapeSlot[],
  seen: Set<number>,
): boolean {
  if (isNode(shaped) && shaped.class === 'PARAMETER') {
    const number = Number(shaped.identifier);
    const slot = slots[number - 1];
    if (!slot || seen.has(number) || !isNode(literal) || literal.class !== 'CONSTANT') return false;
    seen.add(number);
    const constant = literal.value as { type?: { id?: string }; is_null?: boolean; value?: unknown };
    if (constant.is_null) return false;
    return slot.kind === 'string'
      ? constant.type?.id === 'VARCHAR' && constant.value === slot.value
      : INTEGER_CONSTANTS.has(String(constant.type?.id)) &&
          String(constant.value) === String(BigInt(slot.value));
  }
  if (Array.isArray(shaped)) {
    return (
      Array.isArray(literal) &&
      literal.length === shaped.length &&
      shaped.every((item, index) => sameTree(literal[index], item, slots, seen))
    );
  }
  if (isNode(shaped)) {
    if (!isNode(literal)) return false;
    const keys = Object.keys(shaped).filter((key) => key !== 'query_location');
    if (keys.length !== Object.keys(literal).filter((key) => key !== 'query_location').length) return false;
    return keys.every((key) => key in literal && sameTree(literal[key], shaped[key], slots, seen));
  }
  return literal === shaped;
}

interface ShapeCheck {
  governance: GovernanceStore;
  projectId: string;
  engine: ProjectEngine;
  connection: DuckDBConnection;
  masks: PlanForRole;
}

/** The shape's plan after the checks in this module's header, or `full`. */
async function verifyShape(
  context: ShapeCheck,
  sql: string,
  shape: SqlShape,
  accepted: { planned: PlannedQuery; result: QueryResult },
): Promise<ShapedPlan> {
  const { governance, projectId, engine, connection, masks } = context;
  const checked = await checkReadOnly(connection, shape.text, engine.tables);
  const literal = (await parsedTree(connection, sql)).statements;
  // The statement lists its parameters: none for the query, `$1` … `$n` for the shape.
  const { named_param_map: parameters, ...shaped } = checked.tree as Node;
  const { named_param_map: none, ...query } = (literal?.[0] ?? {}) as Node;
  const numbered = shape.slots.map((_slot, index) => ({ key: String(index + 1), value: index + 1 }));
  const seen = new Set<number>();
  if (
    literal?.length !== 1 ||
    JSON.stringify(none) !== '[]' ||
    !Array.isArray(parameters) ||
    JSON.stringify([...parameters].sort((x, y) => x.value - y.value)) !== JSON.stringify(numbered) ||
    !sameTree(query, shaped, shape.slots, seen) ||
    seen.size !== shape.slots.length
  ) {
    return 'full';
  }
  const planned = await rewriteMasked(governance, projectId, engine, connection, masks, shape.text, checked);
  if (
    planned.tables.join('\u0000') !== accepted.planned.tables.join('\u0000') ||
    planned.masked.join('\u0000') !== accepted.planned.masked.join('\u0000')
  ) {
    return 'full';
  }
  const statement = await preparedFor(connection, planned.sql);
  if (statement.parameterCount !== shape.slots.length) return 'full';
  const types: string[] = [];
  for (const [index, slot] of shape.slots.entries()) {
    const type = String(statement.parameterType(index + 1));
    if (slot.kind === 'string' ? type !== 'VARCHAR' : !(type in INTEGER_TYPES)) return 'full';
    types.push(type);
  }
  const columns = accepted.result.columns;
  if (
    statement.columnCount !== columns.length ||
    columns.some(
      (column, index) =>
        statement.columnName(index) !== column.name || String(statement.columnType(index)) !== column.type,
    )
  ) {
    return 'full';
  }
  return { ...planned, types };
}

const failedToRun = (error: unknown) =>
  error instanceof KeelError && error.issues?.[0]?.code === 'query_failed';

/**
 * Plans and runs one query: through its shape when one was verified (the constants bound), else
 * the full path — parser check, masks, prepare — after which a new shape is verified for next time.
 */
export async function runChecked(
  context: Omit<ShapeCheck, 'masks'>,
  request: { sql: string; role?: string | undefined; params?: readonly QueryParameter[] | undefined },
  bounds: Omit<RunBounds, 'params' | 'bind'>,
): Promise<{ planned: PlannedQuery; result: QueryResult }> {
  const { governance, projectId, engine, connection } = context;
  const masks = await governance.planFor(projectId, request.role);
  const shape = request.params?.length ? undefined : shapeOf(request.sql);
  const key = shape && `${masks.key}\u0000${shape.kinds}\u0000${shape.text}`;
  const known = key ? engine.shapes.get(key) : undefined;
  if (shape && known && known !== 'full') {
    const bind = binder(known.types, shape.slots);
    if (bind) {
      try {
        return { planned: known, result: await runBounded(connection, known.sql, { ...bounds, bind }) };
      } catch (error) {
        // The full path below decides about a failure (its message is the one the caller gets).
        if (!failedToRun(error)) throw error;
      }
    }
  }
  const planned = await planUnder(governance, projectId, engine, connection, masks, request.sql);
  const result = await runBounded(connection, planned.sql, { ...bounds, params: request.params });
  // Constants beyond 2^53 are not compared exactly in the parsed tree: no verdict from this query.
  const comparable = shape?.slots.every(
    (slot) => slot.kind === 'string' || Number.isSafeInteger(Number(slot.value)),
  );
  if (shape && key && !known && comparable) {
    // A shape the checks or DuckDB's prepare refuse is not parameterised; the query itself stands.
    // Out of memory says nothing about the shape: no verdict, a later query tries again.
    const verdict = await verifyShape({ ...context, masks }, request.sql, shape, { planned, result }).catch(
      (error: unknown) => (releasedForMemory(connection, error) ? undefined : ('full' as const)),
    );
    if (verdict) engine.shapes.set(key, verdict);
  }
  return { planned, result };
}
