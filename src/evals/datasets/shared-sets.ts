/**
 * @module evals/datasets/shared-sets
 * Reads a public dataset directory in one of the formats the evaluation sets come in, into rows
 * and a column mapping that go through the ordinary upload path: SQuAD-style JSON (KorQuAD,
 * XQuAD: one row per question, the paragraph as context, every accepted answer a reference),
 * SciTLDR JSONL (the abstract's sentences joined as input, every TLDR a reference), kocohub TSV
 * (comments labelled hate/offensive/none, each file its split) and KLUE NLI JSON (premise and
 * hypothesis, the gold label). A directory holding one plain CSV/TSV/JSONL/JSON/Parquet file is
 * returned as that file.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { ColumnMapping } from './dataset-items.js';
import { type DatasetFormat, formatOf, type Row } from './parse-file.js';

export type SharedSet =
  | { kind: 'rows'; format: string; name: string; description: string; mapping: ColumnMapping; rows: Row[] }
  | { kind: 'file'; name: string; file: string; format: DatasetFormat };

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as unknown;

interface Squad {
  data: {
    title?: string;
    paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[];
  }[];
}

function squadRows(squad: Squad): Row[] {
  const rows: Row[] = [];
  for (const article of squad.data) {
    for (const paragraph of article.paragraphs) {
      for (const qa of paragraph.qas) {
        rows.push({
          id: qa.id,
          question: qa.question,
          context: paragraph.context,
          answers: [...new Set(qa.answers.map((answer) => answer.text))],
          title: article.title ?? null,
        });
      }
    }
  }
  return rows;
}

const isSquad = (value: unknown): value is Squad =>
  !!value &&
  typeof value === 'object' &&
  Array.isArray((value as Squad).data) &&
  Array.isArray((value as Squad).data[0]?.paragraphs);

/** Recognises and reads the set in `directory`; `limit` keeps the first rows only. */
export async function readSharedSet(directory: string, options: { limit?: number } = {}): Promise<SharedSet> {
  const name = path.basename(path.resolve(directory));
  const files = (await readdir(directory)).filter((file) => !file.startsWith('.')).sort();
  const data = files.filter((file) => formatOf(file) !== undefined);
  const take = (rows: Row[]) => (options.limit ? rows.slice(0, options.limit) : rows);
  const at = (file: string) => path.join(directory, file);

  const nli = data.find((file) => /nli.*\.json$/i.test(file));
  if (nli) {
    const rows = (await readJson(at(nli))) as Row[];
    return {
      kind: 'rows',
      format: 'klue-nli',
      name,
      description: `KLUE NLI (${nli})`,
      mapping: { input: ['premise', 'hypothesis'], label: 'gold_label', metadata: ['guid', 'source'] },
      rows: take(
        rows.map(({ guid, source, premise, hypothesis, gold_label }) => ({
          guid,
          source,
          premise,
          hypothesis,
          gold_label,
        })),
      ),
    };
  }
  const tsv = data.filter((file) => file.endsWith('.tsv'));
  if (tsv.length) {
    const { parseDatasetFile } = await import('./parse-file.js');
    const rows: Row[] = [];
    for (const file of tsv) {
      const parsed = await parseDatasetFile(await readFile(at(file)), 'tsv');
      if (!parsed.columns.includes('comments')) break;
      for (const row of parsed.rows) rows.push({ ...row, split: file.replace(/\.tsv$/, '') });
    }
    if (rows.length) {
      return {
        kind: 'rows',
        format: 'kocohub',
        name,
        description: `Korean hate speech comments (${tsv.join(', ')})`,
        mapping: {
          input: ['comments'],
          label: 'hate',
          metadata: ['bias', 'contain_gender_bias'],
          split: 'split',
        },
        rows: take(rows),
      };
    }
  }
  for (const file of data.filter((entry) => entry.endsWith('.json'))) {
    const value = await readJson(at(file));
    if (isSquad(value)) {
      return {
        kind: 'rows',
        format: 'squad',
        name,
        description: `Extractive QA, SQuAD format (${file})`,
        mapping: {
          input: ['question'],
          reference: 'answers',
          contexts: 'context',
          metadata: ['id', 'title'],
        },
        rows: take(squadRows(value)),
      };
    }
  }
  const jsonl = data.find((file) => file.endsWith('.jsonl'));
  if (jsonl) {
    const first = JSON.parse((await readFile(at(jsonl), 'utf8')).split('\n', 1)[0] ?? '{}') as Row;
    if (Array.isArray(first.source) && Array.isArray(first.target)) {
      const lines = (await readFile(at(jsonl), 'utf8')).split('\n').filter((line) => line.trim());
      const rows = lines.map((line) => {
        const row = JSON.parse(line) as {
          source: string[];
          target: string[];
          paper_id?: string;
          title?: string;
        };
        return {
          paper_id: row.paper_id ?? null,
          title: row.title ?? null,
          source: row.source.join(' '),
          target: row.target,
        };
      });
      return {
        kind: 'rows',
        format: 'scitldr',
        name,
        description: `One-line summaries, SciTLDR format (${jsonl})`,
        mapping: { input: ['source'], reference: 'target', metadata: ['paper_id', 'title'] },
        rows: take(rows),
      };
    }
  }
  if (data.length === 1) return { kind: 'file', name, file: at(data[0]!), format: formatOf(data[0]!)! };
  throw new KeelError('invalid_request', `Cannot tell which dataset ${directory} holds.`, {
    issues: [
      {
        code: 'unknown_dataset_layout',
        path: ['from'],
        message: 'expected SQuAD JSON, SciTLDR JSONL, kocohub TSV, KLUE NLI JSON, or one data file',
      },
    ],
  });
}
