/**
 * @module prompts/placeholders
 * `{{variable}}` placeholders in template text. Names are letters (Hangul included), digits and
 * `_`; spaces inside the braces are allowed (`{{ name }}`). `\{{` writes a literal `{{`. Anything
 * else between double braces is an error at save time, so a typo never reaches the model as text.
 */

import { variableNamePattern } from '../api/prompts.js';
import type { Issue } from '../core/errors.js';

export type Segment = { kind: 'text'; text: string } | { kind: 'variable'; name: string };

/** A parsed piece of template text; `segments` are rendered in order. */
export interface ParsedText {
  segments: Segment[];
  /** Variable names in order of first use. */
  names: string[];
}

const token = /\\\{\{|\{\{([^{}]*)\}\}/g;

/**
 * Splits text into literal runs and placeholders. Malformed placeholders are reported as issues
 * at `path` and kept as literal text.
 */
export function parsePlaceholders(
  text: string,
  path: (string | number)[] = [],
  issues: Issue[] = [],
): ParsedText {
  const segments: Segment[] = [];
  const names: string[] = [];
  let literal = '';
  let last = 0;
  for (const match of text.matchAll(token)) {
    literal += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === '\\{{') {
      literal += '{{';
      continue;
    }
    const name = match[1]!.trim();
    if (!variableNamePattern.test(name)) {
      issues.push({
        code: 'invalid_placeholder',
        path,
        message: `"${match[0]}" is not a variable: names are letters, digits or "_" (write \\{{ for a literal "{{")`,
      });
      literal += match[0];
      continue;
    }
    if (literal) segments.push({ kind: 'text', text: literal });
    literal = '';
    segments.push({ kind: 'variable', name });
    if (!names.includes(name)) names.push(name);
  }
  literal += text.slice(last);
  if (literal) segments.push({ kind: 'text', text: literal });
  return { segments, names };
}

/** Joins segments, looking each variable up in `values` (already rendered as text). */
export function fillSegments(segments: readonly Segment[], values: ReadonlyMap<string, string>): string {
  let out = '';
  for (const segment of segments)
    out += segment.kind === 'text' ? segment.text : (values.get(segment.name) ?? '');
  return out;
}
