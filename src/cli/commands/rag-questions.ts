/**
 * @module cli/commands/rag-questions
 * The question file of `keel rag experiment`: JSON Lines (one object a line; blank lines and lines
 * starting with `#` or `//` are ignored) or one JSON array, each item
 * `{"question": "…", "answers"?: ["…"], "passages"?: ["…"]}`. A bad item is reported with its line
 * number and field, so a long file can be fixed where it is wrong.
 */
import { readFile } from 'node:fs/promises';
import { experimentQuestionSchema } from '../../api/rag.js';
import { KeelError } from '../../core/errors.js';

export type ExperimentQuestion = ReturnType<typeof experimentQuestionSchema.parse>;

interface Issue {
  code: string;
  path: (string | number)[];
  message: string;
}

const formatHint =
  'each line a JSON object {"question": "…", "answers": ["…"], "passages": ["…"]} (answers and passages optional)';

/** Line numbers (1-based) of the items of a JSON array: where each top-level element starts. */
function arrayItemLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (expectItem && depth === 1 && ch !== ']') {
      lines.push(line);
      expectItem = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectItem = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectItem = true;
  }
  return lines;
}

function checkItem(
  value: unknown,
  line: number,
  file: string,
  issues: Issue[],
): ExperimentQuestion | undefined {
  const parsed = experimentQuestionSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys : undefined;
    const field = keys?.length ? keys.join(', ') : issue.path.map(String).join('.') || '(the line)';
    issues.push({
      code: issue.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid_question',
      path: ['questions', line, ...(keys ?? issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)))],
      message: `${file}:${line}: ${field}: ${issue.message}`,
    });
  }
  return undefined;
}

/** Reads and checks a question file; throws `invalid_request` naming every bad line and field. */
export async function readQuestions(file: string): Promise<ExperimentQuestion[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new KeelError('not_found', `Cannot read ${file}.`);
  });
  const issues: Issue[] = [];
  const questions: ExperimentQuestion[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(trimmed);
    } catch (error) {
      throw new KeelError('invalid_request', `${file} is not valid JSON: ${(error as Error).message}.`, {
        issues: [{ code: 'invalid_json', path: ['questions'], message: (error as Error).message }],
      });
    }
    const lines = arrayItemLines(text);
    (items as unknown[]).forEach((item, index) => {
      const question = checkItem(item, lines[index] ?? index + 1, file, issues);
      if (question) questions.push(question);
    });
  } else {
    text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('//')) return;
      let item: unknown;
      try {
        item = JSON.parse(line);
      } catch (error) {
        issues.push({
          code: 'invalid_json',
          path: ['questions', index + 1],
          message: `${file}:${index + 1}: not JSON (${(error as Error).message})`,
        });
        return;
      }
      const question = checkItem(item, index + 1, file, issues);
      if (question) questions.push(question);
    });
  }
  if (issues.length) {
    const shown = issues.slice(0, 5).map((issue) => issue.message);
    throw new KeelError(
      'invalid_request',
      `${file} has ${issues.length} bad entr${issues.length === 1 ? 'y' : 'ies'} (${formatHint}):\n  ${shown.join('\n  ')}${issues.length > 5 ? `\n  … and ${issues.length - 5} more` : ''}`,
      { issues },
    );
  }
  if (!questions.length)
    throw new KeelError('invalid_request', `${file} holds no questions (${formatHint}).`, {
      issues: [{ code: 'no_questions', path: ['questions'], message: 'empty' }],
    });
  return questions;
}
