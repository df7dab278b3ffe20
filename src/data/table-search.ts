/**
 * @module data/table-search
 * Picks the tables a natural-language question is about: a small BM25 over each table's catalog
 * text (its name, description, column names and descriptions, and sample values). Terms are
 * lower-cased words, with snake_case and camelCase split; Hangul runs are indexed as their
 * character bigrams, after common particles are stripped, so '지역별 매출' meets a description
 * '지역 매출 합계' the way Lucene's CJK analyser would.
 */
import type { TableCatalog } from './catalog.js';

export interface TableMatch {
  table: string;
  score: number;
  /** The question's terms found in the table's catalog text. */
  matched: string[];
}

const HANGUL = /\p{Script=Hangul}/u;
// Particles and endings that stay attached to Korean words (은/는/이/가/을/를/의/에/에서/별/로 …).
const PARTICLES =
  /(에서는|에서|으로|부터|까지|별로|마다|이고|이며|하고|에게|한테|의|은|는|이|가|을|를|에|로|와|과|도|만|별)$/u;
const STOP = new Set([
  'the',
  'a',
  'an',
  'of',
  'in',
  'on',
  'for',
  'by',
  'to',
  'and',
  'or',
  'is',
  'are',
  'what',
  'which',
  'who',
  'how',
  'many',
  'much',
  'show',
  'list',
  'me',
  'give',
  'each',
  'per',
  'with',
  'from',
  'that',
  'there',
  'do',
  'does',
  'all',
]);

/** Index terms of `text`: Latin words (split on `_` and case changes) and Hangul bigrams. */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  for (const raw of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!raw) continue;
    if (HANGUL.test(raw)) {
      const word = raw.length > 2 ? raw.replace(PARTICLES, '') : raw;
      if (word.length === 1) terms.push(word);
      for (let index = 0; index + 1 < word.length; index++) terms.push(word.slice(index, index + 2));
      continue;
    }
    if (STOP.has(raw)) continue;
    terms.push(raw);
    // A plural or a trailing "s" on a column name should still meet the singular.
    if (raw.length > 3 && raw.endsWith('s')) terms.push(raw.slice(0, -1));
  }
  return terms;
}

/** The text a table is found by. */
function tableText(table: TableCatalog): string {
  const parts = [table.name, table.name, table.description];
  for (const column of table.columns) {
    parts.push(column.name, column.description);
    for (const sample of column.samples) if (typeof sample === 'string') parts.push(sample);
  }
  return parts.join(' ');
}

/**
 * Tables ranked by how well their catalog text matches the question (BM25, k1 1.2, b 0.75).
 * Tables with no matching term are left out.
 *
 * @example
 * rankTables('지역별 매출 합계', catalogs) // [{ table: 'sales', score: 2.1, matched: ['지역', '매출'] }]
 */
export function rankTables(question: string, tables: readonly TableCatalog[]): TableMatch[] {
  const query = [...new Set(searchTerms(question))];
  const documents = tables.map((table) => {
    const counts = new Map<string, number>();
    const terms = searchTerms(tableText(table));
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return { table: table.name, counts, length: terms.length };
  });
  const average = documents.reduce((sum, document) => sum + document.length, 0) / (documents.length || 1);
  const k1 = 1.2;
  const b = 0.75;
  const matches: TableMatch[] = [];
  for (const document of documents) {
    let score = 0;
    const matched: string[] = [];
    for (const term of query) {
      const frequency = document.counts.get(term);
      if (!frequency) continue;
      const holding = documents.filter((other) => other.counts.has(term)).length;
      const idf = Math.log(1 + (documents.length - holding + 0.5) / (holding + 0.5));
      score +=
        (idf * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * document.length) / (average || 1)));
      matched.push(term);
    }
    if (score > 0) matches.push({ table: document.table, score, matched });
  }
  return matches.sort((left, right) => right.score - left.score || left.table.localeCompare(right.table));
}
