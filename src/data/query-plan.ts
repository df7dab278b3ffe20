/**
 * @module data/query-plan
 * A query checked and rewritten under the caller's masks: the SQL to run, the tables it reads and
 * the ones read masked. Plans are kept per engine (by mask plan and SQL text), so a query sent
 * again skips the parser.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PlannedQuery, ProjectEngine } from './engine.js';
import type { GovernanceStore } from './governance-store.js';
import { maskedProjection, replaceMaskedTables } from './masking.js';
import { checkReadOnly, deserializeSql } from './sql-check.js';

export async function planQuery(
  governance: GovernanceStore,
  projectId: string,
  engine: ProjectEngine,
  connection: DuckDBConnection,
  request: { sql: string; role?: string | undefined },
): Promise<PlannedQuery> {
  const masks = await governance.planFor(projectId, request.role);
  const key = `${masks.key}\u0000${request.sql}`;
  const known = engine.planned(key);
  if (known) return known;
  const { tables, tree } = await checkReadOnly(connection, request.sql, engine.tables);
  const projections = new Map<string, unknown>();
  for (const table of tables) {
    const masked = masks.plan.get(table);
    const columns = engine.columns.get(table);
    if (!masked?.size || !columns) continue;
    const projection = maskedProjection(table, columns, masked, governance.saltOf(projectId));
    const { tree: projected } = await checkReadOnly(connection, projection, engine.tables);
    projections.set(table, projected);
  }
  let sql = request.sql;
  let masked: string[] = [];
  if (projections.size) {
    masked = replaceMaskedTables(tree, projections);
    sql = await deserializeSql(connection, tree);
  }
  const planned = { tables, sql, masked };
  engine.remember(key, planned);
  return planned;
}
