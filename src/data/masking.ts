/**
 * @module data/masking
 * Column masking by role. A policy masks every column carrying a tag (`pii`, `sensitive`, custom)
 * or one named column, with one method — hash, partial, null or redact — for the roles it lists.
 * It is applied to the query's parsed tree, never to its text: every reference to a masked table
 * (`BASE_TABLE` node, wherever it sits: FROM, JOIN, subquery, CTE body) becomes a subquery that
 * projects the table's columns with the masked ones replaced. So the raw value is not reachable by
 * any expression, filter, join or aggregate of the query, only the masked one.
 */

export type MaskMethod = 'hash' | 'partial' | 'null' | 'redact';
export const maskMethods: readonly MaskMethod[] = ['hash', 'partial', 'null', 'redact'];

export interface MaskingPolicy {
  id: string;
  /** Masks every column with this tag … */
  tag: string | null;
  /** … or this one column. */
  table: string | null;
  column: string | null;
  method: MaskMethod;
  /** Roles the mask applies to. */
  roles: string[];
}

export interface ColumnTag {
  table: string;
  column: string;
  tag: string;
}

export interface TableColumn {
  name: string;
  type: string;
}

/** Masked columns per table (both lower case) → method. */
export type MaskPlan = Map<string, Map<string, MaskMethod>>;

// When several policies mask one column, the one that reveals least wins.
const strength: Record<MaskMethod, number> = { partial: 0, hash: 1, redact: 2, null: 3 };

/**
 * The columns masked for `role`. With no role (an internal caller that did not say), every policy
 * applies: masking fails closed.
 */
export function maskPlan(
  role: string | undefined,
  tags: readonly ColumnTag[],
  policies: readonly MaskingPolicy[],
): MaskPlan {
  const plan: MaskPlan = new Map();
  const add = (table: string, column: string, method: MaskMethod) => {
    const key = table.toLowerCase();
    const columns = plan.get(key) ?? new Map<string, MaskMethod>();
    const current = columns.get(column.toLowerCase());
    if (!current || strength[method] > strength[current]) columns.set(column.toLowerCase(), method);
    plan.set(key, columns);
  };
  for (const policy of policies) {
    if (role !== undefined && !policy.roles.includes(role)) continue;
    if (policy.table && policy.column) add(policy.table, policy.column, policy.method);
    if (policy.tag) {
      for (const tag of tags) if (tag.tag === policy.tag) add(tag.table, tag.column, policy.method);
    }
  }
  return plan;
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function identifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * The SQL expression that replaces `column`'s value. `salt` keys the hash (per project), so a
 * hashed phone number cannot be looked up in a table of hashes of all phone numbers.
 */
export function maskExpression(column: TableColumn, method: MaskMethod, salt: string): string {
  const name = identifier(column.name);
  const text = `CAST(${name} AS VARCHAR)`;
  switch (method) {
    case 'null':
      return `CAST(NULL AS ${column.type})`;
    case 'redact':
      return `CASE WHEN ${name} IS NULL THEN NULL ELSE '[REDACTED]' END`;
    case 'hash':
      return `left(sha256(${literal(salt)} || ${text}), 16)`;
    case 'partial':
      // The last four characters stay (as on a card receipt); short values are starred whole.
      return `CASE WHEN ${name} IS NULL THEN NULL WHEN length(${text}) <= 4 THEN repeat('*', length(${text})) ELSE repeat('*', length(${text}) - 4) || right(${text}, 4) END`;
  }
}

/** `SELECT <columns, masked ones replaced> FROM <table>`: what a masked table reads as. */
export function maskedProjection(
  table: string,
  columns: readonly TableColumn[],
  masked: ReadonlyMap<string, MaskMethod>,
  salt: string,
  /** The engine's spelling of a mask (Trino's is trino/trino-project.ts). */
  expression: typeof maskExpression = maskExpression,
): string {
  const list = columns.map((column) => {
    const method = masked.get(column.name.toLowerCase());
    return method
      ? `${expression(column, method, salt)} AS ${identifier(column.name)}`
      : identifier(column.name);
  });
  return `SELECT ${list.join(', ')} FROM ${identifier(table)}`;
}

type Node = Record<string, unknown>;

/**
 * Replaces each `BASE_TABLE` node naming a masked table with a `SUBQUERY` node (same alias, or the
 * table's name, so `people.email` still resolves) over `projections[table]` (a serialised
 * SELECT statement). Returns the masked tables it replaced. The tree is changed in place.
 */
export function replaceMaskedTables(tree: unknown, projections: ReadonlyMap<string, unknown>): string[] {
  const replaced = new Set<string>();
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = visit(value[index]);
      return value;
    }
    if (!value || typeof value !== 'object') return value;
    const node = value as Node;
    if (node.type === 'BASE_TABLE') {
      const name = String(node.table_name ?? '').toLowerCase();
      const projection = projections.get(name);
      if (projection) {
        replaced.add(name);
        return {
          type: 'SUBQUERY',
          alias: node.alias || node.table_name,
          sample: node.sample ?? null,
          query_location: node.query_location,
          // A fresh copy: the same table may be read twice in one query.
          subquery: structuredClone(projection),
          column_name_alias: node.column_name_alias ?? [],
        };
      }
      return node;
    }
    for (const [key, child] of Object.entries(node)) {
      if (child && typeof child === 'object') node[key] = visit(child);
    }
    return node;
  };
  visit(tree);
  return [...replaced].sort();
}
