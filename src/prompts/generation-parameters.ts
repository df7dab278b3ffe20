/**
 * @module prompts/generation-parameters
 * A template's watsonx parameters (snake_case, as stored and sent over the API) → the language
 * model port's parameters. Like watsonx, decoding is greedy unless `decoding_method: sample`, and
 * sampling settings under greedy decoding are ignored — with a warning, not silently.
 */
import type { PromptParameters } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import type { GenerationParameters } from '../spec/language-model.js';
import type { CallWarning } from '../spec/warnings.js';

/** max_new_tokens when a template sets none (watsonx Prompt Lab's default). */
export const DEFAULT_MAX_NEW_TOKENS = 200;

/** The template's parameters with a run's overrides on top, field by field. */
export function mergeParameters(
  base: PromptParameters | undefined,
  override: PromptParameters | undefined,
): PromptParameters {
  const merged: PromptParameters = { ...base, ...override };
  if (
    merged.min_new_tokens !== undefined &&
    merged.max_new_tokens !== undefined &&
    merged.min_new_tokens > merged.max_new_tokens
  ) {
    throw new KeelError('invalid_request', 'min_new_tokens must not exceed max_new_tokens.', {
      issues: [
        {
          code: 'too_big',
          path: ['parameters', 'min_new_tokens'],
          message: `must be at most max_new_tokens (${merged.max_new_tokens})`,
        },
      ],
    });
  }
  return merged;
}

const samplingOnly = ['temperature', 'top_k', 'top_p', 'random_seed'] as const;

export function toGenerationParameters(p: PromptParameters): {
  parameters: GenerationParameters;
  warnings: CallWarning[];
} {
  const warnings: CallWarning[] = [];
  const decodingMethod = p.decoding_method ?? 'greedy';
  const parameters: GenerationParameters = {
    decodingMethod,
    maxNewTokens: p.max_new_tokens ?? DEFAULT_MAX_NEW_TOKENS,
  };
  if (decodingMethod === 'sample') {
    if (p.temperature !== undefined) parameters.temperature = p.temperature;
    if (p.top_k !== undefined) parameters.topK = p.top_k;
    if (p.top_p !== undefined) parameters.topP = p.top_p;
    if (p.random_seed !== undefined) parameters.randomSeed = p.random_seed;
  } else {
    for (const setting of samplingOnly) {
      if (p[setting] !== undefined) {
        warnings.push({
          type: 'unsupported-setting',
          setting,
          message: `${setting} applies to sampling only and was ignored; set decoding_method to "sample" to use it.`,
        });
      }
    }
  }
  if (p.min_new_tokens !== undefined) parameters.minNewTokens = p.min_new_tokens;
  if (p.stop_sequences?.length) parameters.stopSequences = p.stop_sequences;
  if (p.include_stop_sequence !== undefined) parameters.includeStopSequence = p.include_stop_sequence;
  if (p.repetition_penalty !== undefined) parameters.repetitionPenalty = p.repetition_penalty;
  if (p.time_limit !== undefined) parameters.timeLimitMs = p.time_limit;
  if (p.truncate_input_tokens !== undefined) parameters.truncateInputTokens = p.truncate_input_tokens;
  return { parameters, warnings };
}
