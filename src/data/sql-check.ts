/**
 * @module data/sql-check
 * Read-only checks on a query, done by DuckDB's own parser (never by matching strings): the text
 * must hold exactly one statement, `json_serialize_sql` must serialise it (it only serialises
 * SELECT statements, so SET, PRAGMA, COPY, ATTACH, INSTALL, LOAD, EXPORT and DML are refused), and
 * its tree may read only the project's tables, its own CTEs and a few pure table functions — no
 * file readers (`read_csv`, `read_parquet`, `glob`, …) and no file paths as tables.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import { preparedFor } from './prepared-statements.js';

/** The parser call, kept prepared per connection: each check binds the next query's text. */
const SERIALIZE = 'SELECT json_serialize_sql($1::VARCHAR) AS tree';

/** Table functions that read nothing but their arguments. */
const PURE_TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

export interface CheckedQuery {
  /** The project tables the query reads (lower case). */
  tables: string[];
  /** The query's parsed tree (`json_serialize_sql`'s one statement), for rewriting. */
  tree: unknown;
}

function refuse(message: string, code: string, detail?: string): never {
  throw new KeelError('data_query_refused', message, {
    issues: [{ code, path: ['sql'], message: detail ?? message }],
  });
}

export interface ParsedTree {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: unknown[];
}

/**
 * `json_serialize_sql`'s answer for `sql`: DuckDB's parser reads the whole text (comments and
 * all), serialises only SELECT statements and returns one entry per statement.
 */
export async function parsedTree(connection: DuckDBConnection, sql: string): Promise<ParsedTree> {
  let serialized: string;
  try {
    const statement = await preparedFor(connection, SERIALIZE);
    statement.bindVarchar(1, sql);
    const reader = await statement.runAndReadAll();
    serialized = String(reader.getRowObjectsJson()[0]?.tree);
  } catch (error) {
    refuse('The SQL could not be parsed.', 'syntax_error', messageOf(error));
  }
  return JSON.parse(serialized) as ParsedTree;
}

/** Refuses anything but one SELECT over `known` tables; returns the tables it reads and its tree. */
export async function checkReadOnly(
  connection: DuckDBConnection,
  sql: string,
  known: ReadonlySet<string>,
): Promise<CheckedQuery> {
  const tree = await parsedTree(connection, sql);
  if (tree.error) {
    if (tree.error_type === 'parser' && !/^Only SELECT/i.test(tree.error_message ?? '')) {
      refuse('The SQL could not be parsed.', 'syntax_error', tree.error_message);
    }
    refuse('Only a read-only SELECT (or WITH … SELECT) is allowed.', 'not_select', tree.error_message);
  }
  const count = tree.statements?.length ?? 0;
  if (count !== 1) refuse(`Send exactly one SELECT statement (found ${count}).`, 'statement_count');
  const ctes = new Set<string>();
  const tables = new Set<string>();
  const baseTables: string[] = [];
  walk(tree.statements![0], (node) => {
    if (node.type === 'TABLE_FUNCTION') {
      const fn = node.function as { function_name?: string } | undefined;
      const name = String(fn?.function_name ?? '').toLowerCase();
      if (!PURE_TABLE_FUNCTIONS.has(name)) {
        refuse(
          `Table function "${name}" is not allowed: query the project's tables by name.`,
          'table_function',
        );
      }
    }
    if (node.type === 'BASE_TABLE') {
      const catalog = String(node.catalog_name ?? '');
      const schema = String(node.schema_name ?? '');
      if ((catalog && catalog !== 'memory') || (schema && schema !== 'main')) {
        refuse(
          `Table "${[catalog, schema, node.table_name].filter(Boolean).join('.')}" is not a project table.`,
          'unknown_table',
        );
      }
      baseTables.push(String(node.table_name ?? '').toLowerCase());
    }
    const map = (node.cte_map as { map?: Array<{ key: string }> } | undefined)?.map;
    for (const entry of map ?? []) ctes.add(String(entry.key).toLowerCase());
  });
  for (const name of baseTables) {
    if (ctes.has(name)) continue;
    if (!known.has(name)) {
      throw new KeelError('not_found', `No table "${name}" in this project's data.`, {
        issues: [{ code: 'unknown_table', path: ['sql'], message: `unknown table ${name}` }],
      });
    }
    tables.add(name);
  }
  return { tables: [...tables].sort(), tree: tree.statements![0] };
}

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (value && typeof value === 'object') {
    visit(value as Node);
    for (const child of Object.values(value)) if (child && typeof child === 'object') walk(child, visit);
  }
}

export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}

/** SQL text back from a (rewritten) statement tree. */
export async function deserializeSql(connection: DuckDBConnection, statement: unknown): Promise<string> {
  // DuckDB writes "no location" as 2^64 - 1, which JSON numbers cannot hold exactly.
  const json = JSON.stringify({ error: false, statements: [statement] }).replaceAll(
    '18446744073709552000',
    '18446744073709551615',
  );
  const reader = await connection.runAndReadAll('SELECT json_deserialize_sql($1::JSON) AS sql', [json]);
  return String(reader.getRowObjectsJson()[0]?.sql);
}
