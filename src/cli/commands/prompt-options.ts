/**
 * @module cli/commands/prompt-options
 * Options the `keel prompt` commands share: `--var name=value` (typed by the template's own
 * declarations, so `--var count=3` is a number where the template says integer), `--var-json
 * name=<json>`, `--vars-file <file.json>`, the generation parameters as flags, and the connection.
 */
import { readFile } from 'node:fs/promises';
import type { PromptParameters, PromptTemplate, VariableType } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import type { KeelClient } from '../../sdk/client.js';
import type { CommandContext } from '../command.js';
import { withConnection } from '../connect.js';

function invalid(option: string, message: string): KeelError {
  return new KeelError('invalid_request', `--${option}: ${message}`, {
    issues: [{ code: 'invalid_option', path: [option], message }],
  });
}

function split(option: string, entry: string): [string, string] {
  const at = entry.indexOf('=');
  if (at <= 0) throw invalid(option, `"${entry}" is not name=value`);
  return [entry.slice(0, at), entry.slice(at + 1)];
}

/** Text from the command line as a value of the declared type. */
export function typedValue(type: VariableType, name: string, text: string): unknown {
  if (type === 'string') return text;
  if (type === 'boolean') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw invalid('var', `${name} is a boolean: use true or false`);
  }
  if (type === 'json') {
    try {
      return JSON.parse(text);
    } catch {
      throw invalid('var', `${name} holds JSON, and "${text}" is not JSON`);
    }
  }
  const number = Number(text);
  if (text.trim() === '' || !Number.isFinite(number) || (type === 'integer' && !Number.isInteger(number))) {
    throw invalid('var', `${name} is ${type === 'integer' ? 'an integer' : 'a number'}; "${text}" is not`);
  }
  return number;
}

/** Variables from --vars-file, --var and --var-json (later ones win), typed by the template when known. */
export async function variablesFrom(
  options: Record<string, unknown>,
  declared: PromptTemplate['variables'] = [],
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  if (options.varsFile) {
    const file = String(options.varsFile);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw invalid('vars-file', `cannot read ${file} as JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalid('vars-file', `${file} must hold one JSON object of variable values`);
    }
    Object.assign(values, parsed);
  }
  for (const entry of (options.var as string[] | undefined) ?? []) {
    const [name, text] = split('var', entry);
    const type = declared.find((variable) => variable.name === name)?.type ?? 'string';
    values[name] = typedValue(type, name, text);
  }
  for (const entry of (options.varJson as string[] | undefined) ?? []) {
    const [name, text] = split('var-json', entry);
    values[name] = typedValue('json', name, text);
  }
  return values;
}

/** Generation parameters given as flags; undefined when none were. */
export function parametersFrom(options: Record<string, unknown>): PromptParameters | undefined {
  const parameters: PromptParameters = {};
  const number = (option: string, key: string) => {
    const value = options[key];
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw invalid(option, `"${String(value)}" is not a number`);
    return parsed;
  };
  const maxNewTokens = number('max-new-tokens', 'maxNewTokens');
  if (maxNewTokens !== undefined) parameters.max_new_tokens = maxNewTokens;
  const temperature = number('temperature', 'temperature');
  if (temperature !== undefined) {
    parameters.temperature = temperature;
    parameters.decoding_method = 'sample';
  }
  const seed = number('seed', 'seed');
  if (seed !== undefined) parameters.random_seed = seed;
  if (options.decoding) parameters.decoding_method = options.decoding as 'greedy' | 'sample';
  return Object.keys(parameters).length ? parameters : undefined;
}

/** Runs `work` with a connected SDK client (see `withConnection`). */
export function connected<T>(context: CommandContext, work: (client: KeelClient) => Promise<T>): Promise<T> {
  return withConnection(context, (connection) => work(connection.client));
}
