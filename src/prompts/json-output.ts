/**
 * @module prompts/json-output
 * Reads JSON out of a model's answer. Models without constrained decoding often wrap JSON in a
 * Markdown fence or a sentence; the first complete JSON value is taken from such text.
 */
import type { Issue } from '../core/errors.js';

export type JsonOutput = { ok: true; value: unknown } | { ok: false; issues: Issue[] };

export function parseJsonOutput(text: string): JsonOutput {
  const trimmed = text.trim();
  const candidates = [trimmed];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fenced) candidates.push(fenced[1]!.trim());
  const start = trimmed.search(/[[{]/);
  if (start >= 0) {
    const close = trimmed[start] === '{' ? '}' : ']';
    const end = trimmed.lastIndexOf(close);
    if (end > start) candidates.push(trimmed.slice(start, end + 1));
  }
  let firstError = '';
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (error) {
      firstError ||= (error as Error).message;
    }
  }
  return {
    ok: false,
    issues: [
      {
        code: 'invalid_json',
        path: [],
        message: trimmed ? `the output is not JSON (${firstError})` : 'the output is empty',
      },
    ],
  };
}
