/**
 * The watsonx.ai generation parameters, with the ranges the Prompt Lab API accepts, and their
 * mapping onto its request shape (sampling knobs only when sampling; unset optional ones left out).
 */
import type { PromptParameters } from '@keel/api/prompts';

export interface GenerationParameters {
  decoding_method: 'greedy' | 'sample';
  temperature: number;
  top_k: number;
  top_p: number;
  random_seed: number | null;
  repetition_penalty: number;
  max_new_tokens: number;
  min_new_tokens: number;
  stop_sequences: string[];
  include_stop_sequence: boolean;
  time_limit: number | null;
  truncate_input_tokens: number | null;
}

export const defaultParameters: GenerationParameters = {
  decoding_method: 'greedy',
  temperature: 0.7,
  top_k: 50,
  top_p: 1,
  random_seed: null,
  repetition_penalty: 1,
  max_new_tokens: 200,
  min_new_tokens: 0,
  stop_sequences: [],
  include_stop_sequence: false,
  time_limit: null,
  truncate_input_tokens: null,
};

export type NumericParameter = {
  [K in keyof GenerationParameters]: GenerationParameters[K] extends number | null ? K : never;
}[keyof GenerationParameters];

export interface NumericRange {
  min: number;
  max: number;
  step: number;
  /** Only meaningful when sampling (watsonx ignores it for greedy decoding). */
  samplingOnly?: boolean;
  /** May be left empty: the server's default applies. */
  optional?: boolean;
  /** Shown with a slider as well as a number box. */
  slider?: boolean;
}

export const maxStopSequences = 6;

export function numericRanges(maxTokens: number): Record<NumericParameter, NumericRange> {
  return {
    temperature: { min: 0, max: 2, step: 0.05, samplingOnly: true, slider: true },
    top_k: { min: 1, max: 100, step: 1, samplingOnly: true, slider: true },
    top_p: { min: 0.01, max: 1, step: 0.01, samplingOnly: true, slider: true },
    random_seed: { min: 1, max: 4_294_967_295, step: 1, samplingOnly: true, optional: true },
    repetition_penalty: { min: 1, max: 2, step: 0.05, slider: true },
    max_new_tokens: { min: 1, max: maxTokens, step: 1 },
    min_new_tokens: { min: 0, max: maxTokens, step: 1 },
    time_limit: { min: 1, max: 3_600_000, step: 100, optional: true },
    truncate_input_tokens: { min: 0, max: 1_000_000, step: 1, optional: true },
  };
}

/** Problems that stop a run, as message keys with the parameter they concern. */
export function parameterProblems(
  parameters: GenerationParameters,
  maxTokens: number,
): { parameter: keyof GenerationParameters; problem: 'outOfRange' | 'minAboveMax' }[] {
  const problems: { parameter: keyof GenerationParameters; problem: 'outOfRange' | 'minAboveMax' }[] = [];
  const ranges = numericRanges(maxTokens);
  for (const [name, range] of Object.entries(ranges) as [NumericParameter, NumericRange][]) {
    const value = parameters[name];
    if (value === null) continue;
    if (!Number.isFinite(value) || value < range.min || value > range.max)
      problems.push({ parameter: name, problem: 'outOfRange' });
  }
  if (parameters.min_new_tokens > parameters.max_new_tokens)
    problems.push({ parameter: 'min_new_tokens', problem: 'minAboveMax' });
  return problems;
}

export function toPromptParameters(parameters: GenerationParameters): PromptParameters {
  const sampling = parameters.decoding_method === 'sample';
  const stops = parameters.stop_sequences.filter((stop) => stop.length > 0);
  return {
    decoding_method: parameters.decoding_method,
    max_new_tokens: parameters.max_new_tokens,
    min_new_tokens: parameters.min_new_tokens,
    repetition_penalty: parameters.repetition_penalty,
    ...(sampling
      ? {
          temperature: parameters.temperature,
          top_k: parameters.top_k,
          top_p: parameters.top_p,
          ...(parameters.random_seed !== null ? { random_seed: parameters.random_seed } : {}),
        }
      : {}),
    ...(stops.length
      ? { stop_sequences: stops, include_stop_sequence: parameters.include_stop_sequence }
      : {}),
    ...(parameters.time_limit !== null ? { time_limit: parameters.time_limit } : {}),
    ...(parameters.truncate_input_tokens !== null
      ? { truncate_input_tokens: parameters.truncate_input_tokens }
      : {}),
  };
}
