/**
 * @module data/sql-prompt
 * The prompt that asks a model for SQL over the chosen tables, and the reading of its reply. The
 * schema goes in as `CREATE TABLE` text with descriptions and sample values as comments; a masked
 * column is marked as such and its samples are never shown; join keys people accepted between the
 * tables follow them. The reply is JSON `{sql, explanation}`
 * (the schema below); a model that ignored it is read leniently (a fenced SQL block, or the text).
 */
import type { ChatMessage } from '../spec/language-model.js';
import type { TableCatalog } from './catalog.js';

export const sqlReplySchema = {
  type: 'object',
  properties: {
    sql: { type: 'string', description: 'one DuckDB SELECT statement' },
    explanation: { type: 'string', description: 'one or two sentences, in the language of the question' },
  },
  required: ['sql', 'explanation'],
  additionalProperties: false,
} as const;

const SYSTEM = [
  'You translate questions about data into one read-only DuckDB SQL SELECT statement.',
  'Use only the tables and columns listed. Quote identifiers with double quotes when needed.',
  'Columns marked MASKED hold masked values (hashed, partial, redacted or null): never try to recover them.',
  'Answer only with JSON: {"sql": "...", "explanation": "..."}. The explanation says in one or two',
  'short sentences how the query answers the question, in the language of the question (Korean or English).',
].join('\n');

function sample(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `CREATE TABLE` text for the model, with what a person wrote and what the data looks like. */
export function schemaText(table: TableCatalog): string {
  const lines = table.columns.map((column) => {
    const notes: string[] = [];
    if (column.description) notes.push(column.description);
    if (column.masked) notes.push(`MASKED (${column.masked})`);
    else if (column.samples.length) notes.push(`e.g. ${column.samples.slice(0, 3).map(sample).join(', ')}`);
    const quoted = /^[a-z_][a-z0-9_]*$/.test(column.name)
      ? column.name
      : `"${column.name.replaceAll('"', '""')}"`;
    return `  ${quoted} ${column.type}${notes.length ? ` -- ${notes.join('; ').replaceAll('\n', ' ')}` : ''}`;
  });
  const header = table.description
    ? `-- ${table.description.replaceAll('\n', ' ')} (${table.rowCount} rows)\n`
    : `-- ${table.rowCount} rows\n`;
  return `${header}CREATE TABLE ${table.name} (\n${lines.join(',\n')}\n);`;
}

/** A join key people accepted between two of the tables (join-key-store.ts). */
export interface KnownJoin {
  from_table: string;
  from_column: string;
  to_table: string;
  to_column: string;
}

/** The prompt: the tables, the join keys people accepted between them, and the question. */
export function buildSqlPrompt(
  question: string,
  tables: readonly TableCatalog[],
  joins: readonly KnownJoin[] = [],
): ChatMessage[] {
  const names = new Set(tables.map((table) => table.name.toLowerCase()));
  const between = joins.filter(
    (join) => names.has(join.from_table.toLowerCase()) && names.has(join.to_table.toLowerCase()),
  );
  const joinText = between.length
    ? `\n\nJoin keys (confirmed by people):\n${between
        .map((join) => `  ${join.from_table}.${join.from_column} = ${join.to_table}.${join.to_column}`)
        .join('\n')}`
    : '';
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: `Tables:\n${tables.map(schemaText).join('\n\n')}${joinText}\n\nQuestion: ${question}`,
    },
  ];
}

/** The SQL and explanation in a model's reply. */
export function parseSqlReply(text: string): { sql: string; explanation: string } {
  const trimmed = text.trim();
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const value = JSON.parse(trimmed.slice(start, end + 1)) as { sql?: unknown; explanation?: unknown };
      if (typeof value.sql === 'string') {
        return {
          sql: cleanSql(value.sql),
          explanation: typeof value.explanation === 'string' ? value.explanation.trim() : '',
        };
      }
    } catch {
      // Not JSON after all: read it as text below.
    }
  }
  const fenced = /```(?:sql)?\s*([\s\S]*?)```/i.exec(trimmed);
  return { sql: cleanSql(fenced?.[1] ?? trimmed), explanation: '' };
}

/** One statement, without the trailing semicolon models like to add. */
function cleanSql(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').trim();
}
