/**
 * @module data/trino/trino-project
 * One project's tables on Trino, behind the same checks as the embedded engine. The SQL is parsed
 * by DuckDB's parser in a scratch engine that holds no data (sql-check.ts: one SELECT, only the
 * project's tables, no table functions), masked tables are replaced in the parsed tree by their
 * masked projection written in Trino's functions, every project table is then qualified with the
 * project's catalog and schema, and the tree is printed back as SQL for Trino. So a query can only
 * name tables of the project's schema, masks apply as they do on DuckDB, and the text Trino runs
 * is Keel's, not the caller's. SQL must be in the dialect both parsers share (ANSI SELECT).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { TableCatalog } from '../catalog.js';
import { openInstance } from '../engine.js';
import { type MaskMethod, maskedProjection, replaceMaskedTables, type TableColumn } from '../masking.js';
import type { QueryParameter, QueryResult, RunBounds } from '../query-runner.js';
import { checkReadOnly, deserializeSql } from '../sql-check.js';
import type { TrinoEngine } from './trino-engine.js';
import { bindParameters } from './trino-params.js';

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Trino's spelling of each mask (DuckDB's is masking.ts's maskExpression); the same values come out. */
export function trinoMaskExpression(column: TableColumn, method: MaskMethod, salt: string): string {
  const name = `"${column.name.replaceAll('"', '""')}"`;
  const text = `CAST(${name} AS VARCHAR)`;
  switch (method) {
    case 'null':
      return `CAST(NULL AS ${column.type})`;
    case 'redact':
      return `CASE WHEN ${name} IS NULL THEN NULL ELSE '[REDACTED]' END`;
    case 'hash':
      return `substr(lower(to_hex(sha256(to_utf8(${literal(salt)} || ${text})))), 1, 16)`;
    case 'partial':
      return `CASE WHEN ${name} IS NULL THEN NULL WHEN length(${text}) <= 4 THEN rpad('', length(${text}), '*') ELSE rpad('', length(${text}) - 4, '*') || substr(${text}, length(${text}) - 3) END`;
  }
}

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (value && typeof value === 'object') {
    visit(value as Node);
    for (const child of Object.values(value)) if (child && typeof child === 'object') walk(child, visit);
  }
}

export interface TrinoPlan {
  tables: string[];
  masked: string[];
  /** The SQL sent to Trino. */
  sql: string;
}

export class TrinoProject {
  private parser?: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }>;
  private columns: Promise<Map<string, TableColumn[]>> | undefined;

  constructor(
    readonly engine: TrinoEngine,
    private readonly timeoutMs: number,
  ) {}

  /** The project's tables and columns (read once from Trino's information_schema). */
  tables(): Promise<Map<string, TableColumn[]>> {
    if (!this.columns) {
      this.columns = this.engine.tables(this.timeoutMs);
      this.columns.catch(() => {
        this.columns = undefined;
      });
    }
    return this.columns;
  }

  private connection(): Promise<DuckDBConnection> {
    if (!this.parser) {
      this.parser = (async () => {
        // Only the parser is used: no tables, no files, the configuration locked.
        const instance = await openInstance({ memoryLimit: '64MB' });
        const connection = await instance.connect();
        await connection.run('SET enable_external_access = false');
        await connection.run('SET lock_configuration = true');
        return { instance, connection };
      })();
    }
    return this.parser.then((parser) => parser.connection);
  }

  /** Checks the query, applies the masks of `plan`, binds `params` and qualifies the project's tables. */
  async plan(
    sql: string,
    masks: ReadonlyMap<string, ReadonlyMap<string, MaskMethod>>,
    salt: string,
    params?: readonly QueryParameter[],
  ): Promise<TrinoPlan> {
    const known = await this.tables();
    const names = new Set(known.keys());
    const connection = await this.connection();
    const { tables, tree } = await checkReadOnly(connection, sql, names);
    const projections = new Map<string, unknown>();
    for (const table of tables) {
      const masked = masks.get(table);
      if (!masked?.size) continue;
      const projection = maskedProjection(table, known.get(table) ?? [], masked, salt, trinoMaskExpression);
      projections.set(table, (await checkReadOnly(connection, projection, names)).tree);
    }
    const masked = replaceMaskedTables(tree, projections);
    // Params bound as constants in the user's tree (trino-params.ts; mask projections have none).
    // Without params (a check only), parameters stay as they are.
    if (params) bindParameters(tree, params);
    const ctes = new Set<string>();
    walk(tree, (node) => {
      const map = (node.cte_map as { map?: Array<{ key: string }> } | undefined)?.map;
      for (const entry of map ?? []) ctes.add(String(entry.key).toLowerCase());
    });
    const star = await this.star(connection);
    walk(tree, (node) => {
      // DuckDB's parser reads count(*) as count_star(), which Trino does not know.
      if (node.type === 'FUNCTION' && node.function_name === 'count_star') {
        node.function_name = 'count';
        node.children = [structuredClone(star)];
      }
      if (node.type !== 'BASE_TABLE') return;
      const name = String(node.table_name ?? '').toLowerCase();
      if (ctes.has(name) || !names.has(name)) return;
      node.catalog_name = this.engine.endpoint.catalog;
      node.schema_name = this.engine.endpoint.schema;
    });
    return { tables, masked, sql: await deserializeSql(connection, tree) };
  }

  private starNode?: unknown;

  /** The parsed `*` (to print count(*) back). */
  private async star(connection: DuckDBConnection): Promise<unknown> {
    if (!this.starNode) {
      const reader = await connection.runAndReadAll("SELECT json_serialize_sql('SELECT * FROM t') AS tree");
      const tree = JSON.parse(String(reader.getRowObjectsJson()[0]?.tree)) as {
        statements: Array<{ node: { select_list: unknown[] } }>;
      };
      this.starNode = tree.statements[0]!.node.select_list[0];
    }
    return this.starNode;
  }

  run(sql: string, bounds: RunBounds): Promise<QueryResult> {
    return this.engine.run(sql, bounds);
  }

  private readonly statistics = new Map<string, Promise<TableCatalog>>();

  /** A table's catalog entry (computed once: counts and samples cost a scan on the cluster). */
  describe(table: string): Promise<TableCatalog> {
    const key = table.toLowerCase();
    let entry = this.statistics.get(key);
    if (!entry) {
      entry = this.tables().then((tables) =>
        this.engine.describe(key, tables.get(key) ?? [], this.timeoutMs),
      );
      entry.catch(() => this.statistics.delete(key));
      this.statistics.set(key, entry);
    }
    return entry;
  }

  close(): void {
    void this.parser
      ?.then(({ instance, connection }) => {
        connection.closeSync();
        instance.closeSync();
      })
      .catch(() => {});
  }
}
