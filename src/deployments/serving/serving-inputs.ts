/**
 * @module deployments/serving/serving-inputs
 * What one request to a deployment hands to Prompt Lab or RAG: generation parameters in Prompt
 * Lab's names, a RAG deployment's one variable (`question`), the variables of a chat request, and
 * the attributes monitors record with the call.
 */
import { KeelError } from '../../core/errors.js';
import type { InvokeInput, Served } from './deployment-types.js';

const promptParameterNames = new Set([
  'decoding_method',
  'temperature',
  'top_k',
  'top_p',
  'max_new_tokens',
  'min_new_tokens',
  'random_seed',
  'stop_sequences',
  'include_stop_sequence',
  'repetition_penalty',
  'time_limit',
  'truncate_input_tokens',
]);

/** The generation parameters Prompt Lab knows, from a wider object (watsonx's request parameters). */
export function promptParametersOf(parameters: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters ?? {}))
    if (promptParameterNames.has(key) && value !== undefined && value !== null) out[key] = value;
  return out;
}

/** A RAG deployment takes one variable, `question`: missing or anything else is a coded 400. */
export function askInputOf(served: Served, input: InvokeInput) {
  const variables = input.variables ?? {};
  const unknown = Object.keys(variables).filter((name) => name !== 'question');
  const question = variables.question;
  if (typeof question !== 'string' || !question.trim() || unknown.length) {
    throw new KeelError(
      unknown.length ? 'invalid_request' : 'missing_variable',
      unknown.length
        ? `Unknown variable "${unknown[0]}": a RAG deployment takes only "question".`
        : 'Missing variable "question".',
      {
        issues: unknown.length
          ? unknown.map((name) => ({
              code: 'unknown_variable',
              path: ['variables', name],
              message: `the deployment has no variable "${name}" (it has: question)`,
            }))
          : [
              {
                code: 'missing_variable',
                path: ['variables', 'question'],
                message: '"question" is required',
              },
            ],
        ...(unknown.length ? {} : { data: { missing: ['question'] } }),
      },
    );
  }
  return { question, ...(served.version.model ? { model: served.version.model } : {}) };
}

/**
 * Variables for a chat request: those given, `context` into a variable of that name, and the
 * last user message into the first required variable still without a value.
 */
export function chatVariablesOf(
  variables: readonly { name: string; required: boolean; default?: unknown }[],
  chat: {
    lastUser?: string | undefined;
    context?: string | undefined;
    given?: Record<string, unknown> | undefined;
  },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...chat.given };
  if (chat.context !== undefined && out.context === undefined && variables.some((v) => v.name === 'context'))
    out.context = chat.context;
  if (chat.lastUser !== undefined) {
    const target = variables.find(
      (variable) =>
        variable.required &&
        out[variable.name] === undefined &&
        !('default' in variable && variable.default !== undefined),
    );
    if (target) out[target.name] = chat.lastUser;
  }
  return out;
}

/** What monitors record with each call a deployment serves: the version, to compare the two sides of a split. */
export function versionAttributes(served: Served) {
  return { attributes: { deployment_version: String(served.version.version) } };
}
