/**
 * @module models/providers/llamacpp/generation-settings
 * Maps watsonx generation parameters onto llama.cpp sampling. Greedy decoding is temperature 0;
 * sampling uses temperature, top-k, top-p and a seed (one is drawn and reported when none is
 * given, so any sampled answer can be reproduced). Settings llama.cpp cannot honour come back as
 * warnings, never as failures; values that make no sense are `invalid_request`.
 *
 * Vendor knobs live under `providerOptions.llamacpp`: `minP` (0–1) and `logitBias`
 * (token id → bias added to the logit, OpenAI style: -100 bans a token, 100 all but forces it).
 */
import { randomInt } from 'node:crypto';
import { KeelError } from '../../../core/errors.js';
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';

export interface SamplingSettings {
  temperature: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: number;
}

export interface GenerationSettings {
  sampling: SamplingSettings;
  /** The seed used, when sampling (reported back to the caller). */
  seed?: number;
  maxNewTokens?: number;
  minNewTokens: number;
  stopSequences: string[];
  includeStopSequence: boolean;
  repeatPenalty?: { penalty?: number; frequencyPenalty?: number; presencePenalty?: number };
  truncateInputTokens?: number;
  /** Token id → logit bias; `-Infinity` means never. */
  logitBias: Map<number, number>;
  warnings: CallWarning[];
}

/** Sampling defaults when sampling is asked for without them (llama.cpp's own defaults). */
export const samplingDefaults = { temperature: 1, topK: 40, topP: 0.95, minP: 0.05 } as const;
/** How many recent tokens the repetition penalties look at (llama.cpp's `penalty_last_n`). */
export const penaltyWindow = 64;

const knownProviderOptions = new Set(['minP', 'logitBias']);

function invalid(setting: string, message: string): KeelError {
  return new KeelError('invalid_request', `${setting}: ${message}`, {
    issues: [{ code: 'invalid_value', path: ['parameters', setting], message }],
  });
}

function check(value: number | undefined, setting: string, ok: (value: number) => boolean, rule: string) {
  if (value !== undefined && (!Number.isFinite(value) || !ok(value))) throw invalid(setting, rule);
}

/**
 * @example
 * resolveGenerationSettings({ prompt, parameters: { decodingMethod: 'sample', randomSeed: 7 } })
 * // → { sampling: { temperature: 1, topK: 40, topP: 0.95, minP: 0.05, seed: 7 }, seed: 7, … }
 */
export function resolveGenerationSettings(
  options: Pick<LanguageModelCallOptions, 'parameters' | 'providerOptions' | 'responseFormat'>,
  drawSeed: () => number = () => randomInt(0, 2 ** 31 - 1),
): GenerationSettings {
  const parameters = options.parameters ?? {};
  const warnings: CallWarning[] = [];
  check(parameters.temperature, 'temperature', (v) => v >= 0, 'must be 0 or more');
  check(parameters.topK, 'top_k', (v) => Number.isInteger(v) && v >= 0, 'must be a whole number, 0 or more');
  check(parameters.topP, 'top_p', (v) => v > 0 && v <= 1, 'must be more than 0 and at most 1');
  check(
    parameters.maxNewTokens,
    'max_new_tokens',
    (v) => Number.isInteger(v) && v >= 0,
    'must be a whole number, 0 or more',
  );
  check(
    parameters.minNewTokens,
    'min_new_tokens',
    (v) => Number.isInteger(v) && v >= 0,
    'must be a whole number, 0 or more',
  );
  check(parameters.repetitionPenalty, 'repetition_penalty', (v) => v > 0, 'must be more than 0');
  check(
    parameters.truncateInputTokens,
    'truncate_input_tokens',
    (v) => Number.isInteger(v) && v >= 1,
    'must be a whole number, 1 or more',
  );
  check(
    parameters.randomSeed,
    'random_seed',
    (v) => Number.isInteger(v) && v >= 0,
    'must be a whole number, 0 or more',
  );
  check(parameters.presencePenalty, 'presence_penalty', (v) => v >= -2 && v <= 2, 'must be between -2 and 2');
  check(
    parameters.frequencyPenalty,
    'frequency_penalty',
    (v) => v >= -2 && v <= 2,
    'must be between -2 and 2',
  );

  const vendor = options.providerOptions?.llamacpp ?? {};
  for (const key of Object.keys(vendor)) {
    if (!knownProviderOptions.has(key)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.llamacpp.${key}`,
        message: `llamacpp has no option "${key}"; it was ignored. Known: ${[...knownProviderOptions].join(', ')}.`,
      });
    }
  }
  const minP = vendor.minP;
  if (minP !== undefined && (typeof minP !== 'number' || !(minP >= 0 && minP <= 1))) {
    throw invalid('providerOptions.llamacpp.minP', 'must be a number from 0 to 1');
  }
  const logitBias = parseLogitBias(vendor.logitBias);

  // watsonx decides by decoding_method; a bare temperature (OpenAI style) means sampling.
  const sampling =
    parameters.decodingMethod === 'sample' ||
    (parameters.decodingMethod === undefined && (parameters.temperature ?? 0) > 0);
  let samplingSettings: SamplingSettings;
  let seed: number | undefined;
  if (sampling && (parameters.temperature ?? samplingDefaults.temperature) > 0) {
    seed = parameters.randomSeed ?? drawSeed();
    samplingSettings = {
      temperature: parameters.temperature ?? samplingDefaults.temperature,
      // top_k 0 and top_p 1 are "off" in watsonx and llama.cpp alike.
      topK: parameters.topK ?? samplingDefaults.topK,
      topP: parameters.topP ?? samplingDefaults.topP,
      minP: (minP as number | undefined) ?? samplingDefaults.minP,
      seed,
    };
  } else {
    samplingSettings = { temperature: 0 };
  }

  const maxNewTokens = parameters.maxNewTokens;
  let minNewTokens = parameters.minNewTokens ?? 0;
  if (maxNewTokens !== undefined && minNewTokens > maxNewTokens) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'min_new_tokens',
      message: `min_new_tokens (${minNewTokens}) exceeds max_new_tokens (${maxNewTokens}); max_new_tokens wins.`,
    });
    minNewTokens = maxNewTokens;
  }
  if (minNewTokens > 0 && options.responseFormat?.type === 'json') {
    // The grammar alone decides where JSON ends; forcing more tokens would break it.
    warnings.push({
      type: 'unsupported-setting',
      setting: 'min_new_tokens',
      message: 'min_new_tokens is ignored for JSON output: the JSON grammar decides where the output ends.',
    });
    minNewTokens = 0;
  }

  const hasPenalty =
    (parameters.repetitionPenalty !== undefined && parameters.repetitionPenalty !== 1) ||
    !!parameters.presencePenalty ||
    !!parameters.frequencyPenalty;
  return {
    sampling: samplingSettings,
    ...(seed !== undefined ? { seed } : {}),
    ...(maxNewTokens !== undefined ? { maxNewTokens } : {}),
    minNewTokens,
    stopSequences: (parameters.stopSequences ?? []).filter((sequence) => sequence.length > 0),
    includeStopSequence: parameters.includeStopSequence ?? false,
    ...(hasPenalty
      ? {
          repeatPenalty: {
            ...(parameters.repetitionPenalty !== undefined ? { penalty: parameters.repetitionPenalty } : {}),
            ...(parameters.frequencyPenalty ? { frequencyPenalty: parameters.frequencyPenalty } : {}),
            ...(parameters.presencePenalty ? { presencePenalty: parameters.presencePenalty } : {}),
          },
        }
      : {}),
    ...(parameters.truncateInputTokens !== undefined
      ? { truncateInputTokens: parameters.truncateInputTokens }
      : {}),
    logitBias,
    warnings,
  };
}

function parseLogitBias(value: unknown): Map<number, number> {
  const bias = new Map<number, number>();
  if (value === undefined) return bias;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('providerOptions.llamacpp.logitBias', 'must map token ids to numbers');
  }
  for (const [key, raw] of Object.entries(value)) {
    const token = Number(key);
    if (!Number.isInteger(token) || token < 0 || typeof raw !== 'number' || Number.isNaN(raw)) {
      throw invalid('providerOptions.llamacpp.logitBias', `entry "${key}" must map a token id to a number`);
    }
    bias.set(token, raw <= -100 ? Number.NEGATIVE_INFINITY : Math.min(raw, 100));
  }
  return bias;
}
