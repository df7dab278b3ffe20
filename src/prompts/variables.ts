/**
 * @module prompts/variables
 * A template's variables: the declared ones (type, default, description) and the ones its text
 * uses without declaring (plain required strings). Run-time values are checked against them —
 * missing, unknown and mistyped values are reported together, each with its path.
 */
import type { PromptVariable, VariableType } from '../api/prompts.js';
import { type Issue, KeelError } from '../core/errors.js';

export interface EffectiveVariable {
  name: string;
  type: VariableType;
  required: boolean;
  description?: string;
  default?: unknown;
}

/** Declared variables first (in their order), then undeclared ones in order of use. */
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
  }));
  for (const name of used)
    if (!out.some((variable) => variable.name === name)) out.push({ name, type: 'string', required: true });
  return out;
}

/** Why a value does not fit a type, or undefined when it does. */
export function typeProblem(type: VariableType, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, received ${describe(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `expected a number, received ${describe(value)}`;
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : `expected an integer, received ${describe(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected a boolean, received ${describe(value)}`;
    case 'json':
      return value === undefined ? 'expected a JSON value' : undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string')
    return `a string ("${value.length > 20 ? `${value.slice(0, 20)}…` : value}")`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** How a value appears in the prompt: strings as they are, JSON compact, the rest as text. */
export function valueText(type: VariableType, value: unknown): string {
  if (typeof value === 'string') return value;
  if (type === 'json' || (typeof value === 'object' && value !== null)) return JSON.stringify(value);
  return String(value);
}

export interface ResolvedValues {
  /** Every variable's value, defaults filled in. */
  values: Record<string, unknown>;
  /** The text each placeholder is replaced with. */
  texts: Map<string, string>;
}

/**
 * Checks run-time values against the variables and fills in defaults. Throws `missing_variable`
 * when a required value is absent (naming it), `invalid_request` for unknown names and wrong types.
 */
export function resolveValues(
  variables: readonly EffectiveVariable[],
  given: Readonly<Record<string, unknown>> = {},
): ResolvedValues {
  const issues: Issue[] = [];
  const values: Record<string, unknown> = {};
  const texts = new Map<string, string>();
  for (const name of Object.keys(given)) {
    if (!variables.some((variable) => variable.name === name)) {
      const known = variables.map((variable) => variable.name).join(', ') || 'none';
      issues.push({
        code: 'unknown_variable',
        path: ['variables', name],
        message: `the template has no variable "${name}" (it has: ${known})`,
      });
    }
  }
  for (const variable of variables) {
    const provided = Object.hasOwn(given, variable.name) && given[variable.name] !== undefined;
    const value = provided ? given[variable.name] : variable.default;
    if (value === undefined) {
      if (variable.required)
        issues.push({
          code: 'missing_variable',
          path: ['variables', variable.name],
          message: `"${variable.name}" is required`,
        });
      else texts.set(variable.name, '');
      continue;
    }
    const problem = typeProblem(variable.type, value);
    if (problem) {
      issues.push({ code: 'invalid_type', path: ['variables', variable.name], message: problem });
      continue;
    }
    values[variable.name] = value;
    texts.set(variable.name, valueText(variable.type, value));
  }
  if (issues.length) throw variableError(issues);
  return { values, texts };
}

function variableError(issues: Issue[]): KeelError {
  const missing = issues
    .filter((issue) => issue.code === 'missing_variable')
    .map((issue) => String(issue.path[1]));
  if (missing.length) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    return new KeelError(
      'missing_variable',
      `Missing template variable${missing.length > 1 ? 's' : ''} ${list}.`,
      {
        issues,
        data: { missing },
      },
    );
  }
  const first = issues[0]!;
  const message =
    first.code === 'unknown_variable'
      ? `Unknown template variable "${first.path[1]}": ${first.message}.`
      : `Variable "${first.path[1]}": ${first.message}.`;
  return new KeelError('invalid_request', message, { issues });
}
