/**
 * @module models/providers/http/request-template
 * The request body of an `http` provider: JSON written in keel.yaml with `{{placeholder}}`s that
 * each call fills in. A string that is exactly one placeholder becomes the value itself (the
 * messages array, a number), and is left out when the call has no value for it; a placeholder
 * inside longer text is written into the text. Values are put into the parsed JSON, never spliced
 * into JSON text, so a prompt cannot break out of its string.
 *
 * Placeholders: `input` (the text prompt, or the chat flattened to text), `messages` (`[{role,
 * content}]`), `system`, `model`, and the generation settings in watsonx's snake_case —
 * `max_new_tokens`, `min_new_tokens`, `temperature`, `top_p`, `top_k`, `random_seed`,
 * `stop_sequences`, `repetition_penalty`, `presence_penalty`, `frequency_penalty`,
 * `truncate_input_tokens`, `decoding_method`.
 */
import { KeelError } from '../../../core/errors.js';
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import { sampling, unsupportedSetting } from '../shared/generation-parameters.js';

const settingNames = [
  'max_new_tokens',
  'min_new_tokens',
  'temperature',
  'top_p',
  'top_k',
  'random_seed',
  'stop_sequences',
  'repetition_penalty',
  'presence_penalty',
  'frequency_penalty',
  'truncate_input_tokens',
  'decoding_method',
] as const;

export const placeholderNames: readonly string[] = ['input', 'messages', 'system', 'model', ...settingNames];

// Settings Keel honours itself when the endpoint has no place for them: stop sequences cut the
// answer here, and time limits are the service's.
const honouredLocally = new Set(['stop_sequences', 'include_stop_sequence', 'time_limit']);

const wholePlaceholder = /^\{\{\s*([a-z_]+)\s*\}\}$/;
const anyPlaceholder = /\{\{\s*([a-z_]+)\s*\}\}/g;

type Values = Record<string, unknown>;

/** The placeholders a template uses; throws `invalid_config` naming an unknown one. */
export function templatePlaceholders(template: unknown, provider: string): Set<string> {
  const used = new Set<string>();
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(anyPlaceholder)) {
        const name = match[1]!;
        if (!placeholderNames.includes(name)) {
          throw new KeelError(
            'invalid_config',
            `The body template of provider "${provider}" has an unknown placeholder {{${name}}}.`,
            {
              issues: [
                {
                  code: 'unknown_placeholder',
                  path: ['body', ...path],
                  message: `use one of ${placeholderNames.join(', ')}`,
                },
              ],
            },
          );
        }
        used.add(name);
      }
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(template, []);
  return used;
}

function promptValues(options: LanguageModelCallOptions): Values {
  const { prompt } = options;
  if (prompt.type === 'text')
    return { input: prompt.text, messages: [{ role: 'user', content: prompt.text }] };
  const messages = prompt.messages.map((message) => ({ role: message.role, content: message.content }));
  const only = messages.length === 1 ? messages[0] : undefined;
  const input =
    only?.role === 'user'
      ? only.content
      : messages.map((message) => `${message.role}: ${message.content}`).join('\n\n');
  const system = messages.find((message) => message.role === 'system')?.content;
  return { input, messages, ...(system !== undefined ? { system } : {}) };
}

function settingValues(options: LanguageModelCallOptions): Values {
  const parameters = options.parameters ?? {};
  const sample = sampling(parameters);
  return {
    max_new_tokens: parameters.maxNewTokens,
    min_new_tokens: parameters.minNewTokens,
    temperature: sample.temperature,
    top_p: sample.topP,
    top_k: sample.topK,
    random_seed: sample.seed,
    stop_sequences: parameters.stopSequences?.length ? parameters.stopSequences : undefined,
    repetition_penalty: parameters.repetitionPenalty,
    presence_penalty: parameters.presencePenalty,
    frequency_penalty: parameters.frequencyPenalty,
    truncate_input_tokens: parameters.truncateInputTokens,
    decoding_method: parameters.decodingMethod,
  };
}

function fill(value: unknown, values: Values): unknown {
  if (typeof value === 'string') {
    const whole = wholePlaceholder.exec(value);
    if (whole) return values[whole[1]!];
    return value.replace(anyPlaceholder, (_, name: string) => {
      const filled = values[name];
      if (filled === undefined) return '';
      return typeof filled === 'string' ? filled : JSON.stringify(filled);
    });
  }
  if (Array.isArray(value))
    return value.map((item) => fill(item, values)).filter((item) => item !== undefined);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const filled = fill(item, values);
      if (filled !== undefined) result[key] = filled;
    }
    return result;
  }
  return value;
}

export interface BuiltRequest {
  body: unknown;
  warnings: CallWarning[];
  /** Stop sequences Keel applies to the answer (the template has no place for them). */
  localStops: string[];
}

/**
 * The body of one call, and a warning for each setting the call asked for that the template has
 * no place for (stop sequences are applied to the answer instead).
 *
 * @example
 * buildRequest({ inputs: '{{input}}', parameters: { max_length: '{{max_new_tokens}}' } }, used, 'm', options, 'scorer');
 */
export function buildRequest(
  template: Record<string, unknown>,
  used: ReadonlySet<string>,
  modelId: string,
  options: LanguageModelCallOptions,
  provider: string,
): BuiltRequest {
  const settings = settingValues(options);
  const values: Values = { ...promptValues(options), model: modelId, ...settings };
  const warnings: CallWarning[] = [];
  const parameters = options.parameters ?? {};
  for (const name of settingNames) {
    if (settings[name] === undefined || used.has(name) || honouredLocally.has(name)) continue;
    // Greedy decoding is temperature 0: a template with a temperature has honoured it.
    if (name === 'decoding_method' && used.has('temperature')) continue;
    warnings.push(
      unsupportedSetting(
        name,
        `The HTTP endpoint of provider "${provider}"`,
        'its body template has no {{…}} for it',
      ),
    );
  }
  // Stop sequences sent to the endpoint are cut there, and it cannot be told to keep them.
  if (parameters.includeStopSequence && parameters.stopSequences?.length && used.has('stop_sequences'))
    warnings.push(
      unsupportedSetting(
        'include_stop_sequence',
        `The HTTP endpoint of provider "${provider}"`,
        'it cuts stop sequences itself',
      ),
    );
  const localStops = used.has('stop_sequences') ? [] : (parameters.stopSequences ?? []).filter(Boolean);
  return { body: fill(template, values), warnings, localStops };
}
