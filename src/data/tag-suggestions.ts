/**
 * @module data/tag-suggestions
 * Suggests a `pii` tag for columns whose sampled values the guardrails' PII detectors recognise
 * (Korean and English: resident registration numbers, phone numbers, e-mail addresses, cards,
 * names …). Only the entity types and the share of matching values come back, never the values.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { defaultPolicy, evaluate } from '../guardrails/index.js';
import { sqlIdentifier } from './engine.js';

export interface TagSuggestion {
  column: string;
  tag: string;
  entity_types: string[];
  /** Share of the sampled values in which PII was found. */
  share: number;
}

/** Values read per column. */
const SAMPLE = 200;
/** A column is suggested when at least this share of its sampled values holds PII. */
const MIN_SHARE = 0.3;

export async function suggestTags(
  connection: DuckDBConnection,
  table: string,
  columns: ReadonlyArray<{ name: string; type: string }>,
): Promise<TagSuggestion[]> {
  const base = defaultPolicy().input;
  const policy = {
    ...base,
    pii: { ...base.pii, enabled: true },
    hap: { ...base.hap, enabled: false },
    injection: { ...base.injection, enabled: false },
  };
  const suggestions: TagSuggestion[] = [];
  for (const column of columns) {
    const name = sqlIdentifier(column.name);
    const reader = await connection.runAndReadAll(
      `SELECT CAST(${name} AS VARCHAR) AS v FROM ${sqlIdentifier(table)} WHERE ${name} IS NOT NULL LIMIT ${SAMPLE}`,
    );
    const values = reader.getRowsJson().map((row) => String(row[0] ?? ''));
    if (!values.length) continue;
    const types = new Set<string>();
    let hits = 0;
    for (const value of values) {
      const found = evaluate(value.slice(0, 2000), policy, {
        direction: 'input',
        mode: 'document',
      }).decisions;
      if (!found.length) continue;
      hits++;
      for (const decision of found) types.add(decision.type);
    }
    const share = hits / values.length;
    if (share >= MIN_SHARE) {
      suggestions.push({ column: column.name, tag: 'pii', entity_types: [...types].sort(), share });
    }
  }
  return suggestions;
}
