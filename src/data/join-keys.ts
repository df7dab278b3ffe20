/**
 * @module data/join-keys
 * Candidate join keys between a project's tables, proposed from three signals and kept with their
 * evidence so a person can accept or reject each one:
 * - **type**: both columns hold the same kind of key (integers, exact decimals, text or UUIDs);
 * - **values**: the referenced column is key-like (its values are distinct), and the share of the
 *   referring column's distinct values found in it (containment) is measured by DuckDB;
 * - **names**: `car_id` → `cars.id` (the column names the table), equal names that are not
 *   generic (`doc_id` → `doc_id`), otherwise the similarity of the names' character bigrams
 *   (`sbTxCustId` → `sbCustId`).
 * The score is containment × (0.4 + 0.6 × name similarity): values must overlap, and a name match
 * lifts a candidate above the ones that overlap by chance (small integers fit any `id`). A column
 * that names a table refers only to it; a table's own key, and text that is not an identifier,
 * need a name match; and each referring column keeps only its best-scoring target.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdentifier } from './engine.js';

export interface JoinKeyEvidence {
  /** 0–1: how closely the referring column's name matches the referenced table and column. */
  nameSimilarity: number;
  /** Why the names match: the column names the table, equal names, or similar spelling. */
  nameRule: 'names_table' | 'equal' | 'similar';
  /** The kind of value both columns hold. */
  typeFamily: string;
  /** Share of the referring column's distinct values found in the referenced column. */
  containment: number;
  fromDistinct: number;
  toDistinct: number;
  /** Whether containment was measured on a sample of the referring column's distinct values. */
  sampled: boolean;
}

export interface JoinKeyCandidate {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
  score: number;
  evidence: JoinKeyEvidence;
}

export interface DiscoverOptions {
  /** Lowest score proposed (default 0.6). */
  minScore?: number;
  /** Lowest containment measured worth scoring (default 0.5). */
  minContainment?: number;
  /** Most distinct values of a referring column compared (default 100,000; more are sampled). */
  maxDistinct?: number;
}

interface ColumnStats {
  table: string;
  name: string;
  family: string;
  distinct: number;
  present: number;
}

/** Words that mark a column as an identifier. */
const ID_WORDS = new Set(['id', 'key', 'code', 'no', 'num', 'number', 'uuid', 'sku', 'ref']);

/** An identifier's name: a word such as `id` or `code`, or ending so once folded (`sbcustid`). */
function looksLikeIdentifier(name: string): boolean {
  return words(name).some((word) => ID_WORDS.has(word)) || /(id|key|code|uuid|sku)$/.test(name.toLowerCase());
}

/** Names too common to say anything when two columns share them. */
const GENERIC = new Set([
  'id',
  'key',
  'code',
  'name',
  'type',
  'status',
  'value',
  'date',
  'title',
  'description',
]);

/** The kind of key a DuckDB type can hold, or null for types that are not join keys. */
export function keyFamilyOf(type: string): string | null {
  const upper = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(upper))
    return 'integer';
  const decimal = /^DECIMAL\(\d+,\s*(\d+)\)$/.exec(upper);
  if (decimal) return decimal[1] === '0' ? 'integer' : null;
  if (upper === 'VARCHAR' || upper.startsWith('VARCHAR(')) return 'text';
  if (upper === 'UUID') return 'uuid';
  return null;
}

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const singular = (word: string) =>
  word.endsWith('ies')
    ? `${word.slice(0, -3)}y`
    : word.endsWith('s') && !word.endsWith('ss')
      ? word.slice(0, -1)
      : word;

function bigrams(text: string): string[] {
  const grams: string[] = [];
  for (let index = 0; index < text.length - 1; index++) grams.push(text.slice(index, index + 2));
  return grams;
}

/** Dice coefficient of two strings' character bigrams (0–1). */
function dice(a: string, b: string): number {
  if (a === b) return 1;
  const left = bigrams(a);
  const right = bigrams(b);
  if (!left.length || !right.length) return 0;
  const counts = new Map<string, number>();
  for (const gram of left) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  let shared = 0;
  for (const gram of right) {
    const count = counts.get(gram) ?? 0;
    if (count > 0) {
      shared++;
      counts.set(gram, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/** Whether `column` is its own table's key by name: `id`, `car_id` in cars, `mid` in merchants. */
function keyOfOwnTable(column: string, table: string): boolean {
  const joined = words(column).join('');
  const tableName = words(table).map(singular).join('');
  return joined === 'id' || joined === `${tableName}id` || abbreviates(joined, table);
}

/**
 * Whether a key name abbreviates a table: `mid` for merchants, `dkid` for domain_keyword (a
 * one-word table by its start, a longer one by its initials).
 */
function abbreviates(key: string, table: string): boolean {
  if (!key.endsWith('id') || key.length <= 2) return false;
  const prefix = key.slice(0, -2);
  const tableWords = words(table).map(singular);
  return tableWords.length === 1
    ? tableWords[0]!.startsWith(prefix)
    : prefix === tableWords.map((word) => word[0]).join('');
}

/**
 * How closely a referring column's name matches a referenced table and column (0–1), and why.
 * @example nameSimilarity('car_id', 'cars', 'id') // { score: 1, rule: 'names_table' }
 */
export function nameSimilarity(
  fromColumn: string,
  toTable: string,
  toColumn: string,
): { score: number; rule: JoinKeyEvidence['nameRule'] } {
  const from = words(fromColumn);
  const table = words(toTable).map(singular);
  const column = words(toColumn);
  const joined = from.join('');
  // The column names the referenced table: car_id → cars.id, customer → customers.customer_id.
  const tableName = table.join('');
  const columnName = column.join('');
  const columnRest = column.filter((word) => !table.includes(word)).join('');
  // An abbreviated key: merchant_id → merchants.mid, user_id → users.uid.
  const abbreviated = joined === `${tableName}id` && abbreviates(columnName, toTable);
  if (
    joined === tableName + columnName ||
    joined === tableName + columnRest ||
    (joined === tableName && GENERIC.has(columnName)) ||
    abbreviated
  ) {
    return { score: 1, rule: 'names_table' };
  }
  if (joined === columnName) {
    // The same name, on the table it is the key of (conference.cid) or on another one.
    const score = GENERIC.has(columnName) ? 0.3 : keyOfOwnTable(toColumn, toTable) ? 0.95 : 0.9;
    return { score, rule: 'equal' };
  }
  return { score: Number(dice(joined, columnName).toFixed(3)), rule: 'similar' };
}

async function columnStats(
  connection: DuckDBConnection,
  table: string,
  columns: ReadonlyArray<{ name: string; type: string }>,
): Promise<ColumnStats[]> {
  const keys = columns.flatMap((column) => {
    const family = keyFamilyOf(column.type);
    return family ? [{ ...column, family }] : [];
  });
  if (!keys.length) return [];
  const reader = await connection.runAndReadAll(
    `SELECT ${keys
      .map(
        (column, index) =>
          `count(DISTINCT ${sqlIdentifier(column.name)})::DOUBLE AS d${index}, count(${sqlIdentifier(column.name)})::DOUBLE AS p${index}`,
      )
      .join(', ')} FROM ${sqlIdentifier(table)}`,
  );
  const counts = reader.getRowObjectsJson()[0] as Record<string, number>;
  return keys.map((column, index) => ({
    table,
    name: column.name,
    family: column.family,
    distinct: Number(counts[`d${index}`] ?? 0),
    present: Number(counts[`p${index}`] ?? 0),
  }));
}

/**
 * Proposes join keys between `tables` (each with its columns) on `connection`, best first. Each
 * candidate refers from a column to a key-like column of another table, with its evidence.
 */
export async function discoverJoinKeys(
  connection: DuckDBConnection,
  tables: ReadonlyArray<{ name: string; columns: ReadonlyArray<{ name: string; type: string }> }>,
  options: DiscoverOptions = {},
): Promise<JoinKeyCandidate[]> {
  const minScore = options.minScore ?? 0.6;
  const minContainment = options.minContainment ?? 0.5;
  const maxDistinct = options.maxDistinct ?? 100_000;
  const stats: ColumnStats[] = [];
  for (const table of tables) stats.push(...(await columnStats(connection, table.name, table.columns)));
  // A referenced column is key-like: present and (nearly) all distinct.
  const isKey = (column: ColumnStats) => column.present > 0 && column.distinct >= 0.98 * column.present;
  const keys = stats.filter(isKey);
  const tableNames = new Map(tables.map((table) => [words(table.name).map(singular).join(''), table.name]));
  const candidates: JoinKeyCandidate[] = [];
  for (const from of stats) {
    // A table's own key is referred to, it does not refer.
    if (from.distinct === 0 || (isKey(from) && keyOfOwnTable(from.name, from.table))) continue;
    // A column that names a table (`car_id`, `customer`) refers to that table and no other.
    const fromWords = words(from.name);
    const named = tableNames.get(
      (ID_WORDS.has(fromWords.at(-1) ?? '') ? fromWords.slice(0, -1) : fromWords).join(''),
    );
    for (const to of keys) {
      if (to.table === from.table || to.family !== from.family) continue;
      if (named && named !== from.table && named !== to.table) continue;
      const name = nameSimilarity(from.name, to.table, to.name);
      // A table's own key refers elsewhere only under a name that says so (1:1 extensions).
      if (isKey(from) && name.rule === 'similar') continue;
      // Text values overlap by chance (names, cities): only identifiers count as keys.
      if (from.family === 'text' && name.rule !== 'names_table' && !looksLikeIdentifier(to.name)) {
        continue;
      }
      // Even full containment cannot lift a candidate whose name says nothing above minScore.
      if (0.4 + 0.6 * name.score < minScore) continue;
      const sampled = from.distinct > maxDistinct;
      const reader = await connection.runAndReadAll(
        `WITH values AS (SELECT DISTINCT ${sqlIdentifier(from.name)} AS v FROM ${sqlIdentifier(from.table)}
                          WHERE ${sqlIdentifier(from.name)} IS NOT NULL LIMIT ${maxDistinct})
         SELECT count(*)::DOUBLE AS compared,
                count(*) FILTER (WHERE v IN (SELECT ${sqlIdentifier(to.name)} FROM ${sqlIdentifier(to.table)}))::DOUBLE AS found
           FROM values`,
      );
      const { compared, found } = reader.getRowObjectsJson()[0] as { compared: number; found: number };
      const containment = compared ? Number(found) / Number(compared) : 0;
      if (containment < minContainment) continue;
      const score = Number((containment * (0.4 + 0.6 * name.score)).toFixed(4));
      if (score < minScore) continue;
      candidates.push({
        fromTable: from.table,
        fromColumn: from.name,
        toTable: to.table,
        toColumn: to.name,
        score,
        evidence: {
          nameSimilarity: name.score,
          nameRule: name.rule,
          typeFamily: from.family,
          containment: Number(containment.toFixed(4)),
          fromDistinct: from.distinct,
          toDistinct: to.distinct,
          sampled,
        },
      });
    }
  }
  // A referring column refers to one table: keep only its best-scoring target(s).
  const best = new Map<string, number>();
  for (const candidate of candidates) {
    const key = `${candidate.fromTable}\u0000${candidate.fromColumn}`;
    best.set(key, Math.max(best.get(key) ?? 0, candidate.score));
  }
  return candidates
    .filter(
      (candidate) => candidate.score >= best.get(`${candidate.fromTable}\u0000${candidate.fromColumn}`)!,
    )
    .sort((a, b) => b.score - a.score);
}
