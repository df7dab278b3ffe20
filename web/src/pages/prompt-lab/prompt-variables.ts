/**
 * `{{name}}` variables, found the way the server finds them (letters of any script — Hangul
 * included — digits and `_`; spaces inside the braces allowed; `\{{` is a literal), merged with a
 * template's declarations (type, default, description), and turned into typed run-time values.
 */
import type { PromptVariable, VariableType } from '@keel/api/prompts';

const placeholder = /\\\{\{|\{\{([^{}]*)\}\}/g;
const namePattern = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Variable names in order of first use across the texts. */
export function findVariables(texts: readonly string[]): string[] {
  const names: string[] = [];
  for (const text of texts)
    for (const match of text.matchAll(placeholder)) {
      const name = match[1]?.trim();
      if (name && namePattern.test(name) && !names.includes(name)) names.push(name);
    }
  return names;
}

/** Replaces each placeholder with its value (for the preview and the direct-generation path). */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(placeholder, (whole, raw: string | undefined) => {
    if (raw === undefined) return '{{';
    const name = raw.trim();
    return namePattern.test(name) && values[name] !== undefined ? values[name] : whole;
  });
}

export interface EffectiveVariable {
  name: string;
  type: VariableType;
  required: boolean;
  description?: string;
  default?: unknown;
  /** Declared by the template but not used by the current text: the server still expects it. */
  unused: boolean;
}

/** As the server sees them: every declared variable (in order), then undeclared ones as required strings. */
export function effectiveVariables(
  declared: readonly PromptVariable[],
  used: readonly string[],
): EffectiveVariable[] {
  const out: EffectiveVariable[] = declared.map((variable) => ({
    name: variable.name,
    type: variable.type ?? 'string',
    required: variable.required ?? variable.default === undefined,
    ...(variable.description !== undefined ? { description: variable.description } : {}),
    ...(variable.default !== undefined ? { default: variable.default } : {}),
    unused: !used.includes(variable.name),
  }));
  for (const name of used)
    if (!out.some((variable) => variable.name === name))
      out.push({ name, type: 'string', required: true, unused: false });
  return out;
}

export type ValueProblem = { name: string; problem: 'missing' | 'invalid' };

/**
 * The values a run sends: typed per declaration; empty inputs left out (the default applies, or
 * the variable is reported missing).
 */
export function runValues(
  variables: readonly EffectiveVariable[],
  inputs: Readonly<Record<string, string>>,
): { values: Record<string, unknown>; problems: ValueProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ValueProblem[] = [];
  for (const variable of variables) {
    const raw = inputs[variable.name] ?? '';
    if (raw === '') {
      if (variable.required) problems.push({ name: variable.name, problem: 'missing' });
      continue;
    }
    const value = parseValue(variable.type, raw);
    if (value === undefined) problems.push({ name: variable.name, problem: 'invalid' });
    else values[variable.name] = value;
  }
  return { values, problems };
}

function parseValue(type: VariableType, raw: string): unknown {
  switch (type) {
    case 'string':
      return raw;
    case 'number': {
      const value = Number(raw);
      return raw.trim() && Number.isFinite(value) ? value : undefined;
    }
    case 'integer': {
      const value = Number(raw);
      return raw.trim() && Number.isSafeInteger(value) ? value : undefined;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return undefined;
      }
  }
}

/** How a stored value (a run's, a sample's example) appears in a text input. */
export function inputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
