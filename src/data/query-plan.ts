/**
 * @module data/query-plan
 * A query checked and rewritten under the caller's masks: the SQL to run, the tables it reads and
 * the ones read masked. Plans are kept per engine (by mask plan and SQL text), so a query sent
 * again skips the parser.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PlannedQuery, ProjectEngine } from './engine.js';
import type { GovernanceStore, PlanForRole } from './governance-store.js';
import { maskedProjection, replaceMaskedTables } from './masking.js';
import { type CheckedQuery, checkReadOnly, deserializeSql } from './sql-check.js';

export async function planQuery(
  governance: GovernanceStore,
  projectId: string,
  engine: ProjectEngine,
  connection: DuckDBConnection,
  request: { sql: string; role?: string | undefined },
): Promise<PlannedQuery> {
  const masks = await governance.planFor(projectId, request.role);
  return planUnder(governance, projectId, engine, connection, masks, request.sql);
}

/** `planQuery` under a mask plan already looked up. */
export async function planUnder(
  governance: GovernanceStore,
  projectId: string,
  engine: ProjectEngine,
  connection: DuckDBConnection,
  masks: PlanForRole,
  sql: string,
): Promise<PlannedQuery> {
  const key = `${masks.key}\u0000${sql}`;
  const known = engine.planned(key);
  if (known) return known;
  const checked = await checkReadOnly(connection, sql, engine.tables);
  const planned = await rewriteMasked(governance, projectId, engine, connection, masks, sql, checked);
  engine.remember(key, planned);
  return planned;
}

/** A checked query with every masked table read through its masked projection. */
export async function rewriteMasked(
  governance: GovernanceStore,
  projectId: string,
  engine: ProjectEngine,
  connection: DuckDBConnection,
  masks: PlanForRole,
  sql: string,
  { tables, tree }: CheckedQuery,
): Promise<PlannedQuery> {
  const projections = new Map<string, unknown>();
  for (const table of tables) {
    const masked = masks.plan.get(table);
    const columns = engine.columns.get(table);
    if (!masked?.size || !columns) continue;
    const projection = maskedProjection(table, columns, masked, governance.saltOf(projectId));
    const { tree: projected } = await checkReadOnly(connection, projection, engine.tables);
    projections.set(table, projected);
  }
  if (!projections.size) return { tables, sql, masked: [] };
  const masked = replaceMaskedTables(tree, projections);
  return { tables, sql: await deserializeSql(connection, tree), masked };
}
