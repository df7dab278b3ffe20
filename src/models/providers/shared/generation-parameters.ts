/**
 * @module models/providers/shared/generation-parameters
 * What the three remote adapters share when they map watsonx-style generation parameters onto a
 * backend: greedy decoding as temperature 0, the warning for a setting a backend cannot honour
 * (named in watsonx's snake_case vocabulary, so callers see the name they sent), and vendor
 * options passed through untouched.
 */
import type { GenerationParameters } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';

export interface Sampling {
  greedy: boolean;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
}

/**
 * Greedy decoding is temperature 0 everywhere; top_p and top_k mean nothing without sampling, so
 * they are left out (watsonx ignores them under greedy too — not a lost setting). Absent
 * `decodingMethod` keeps whatever sampling settings were given: the backend's default applies.
 */
export function sampling(parameters: GenerationParameters = {}): Sampling {
  const seed = parameters.randomSeed;
  if (parameters.decodingMethod === 'greedy') {
    return { greedy: true, temperature: 0, ...(seed !== undefined ? { seed } : {}) };
  }
  return {
    greedy: false,
    ...(parameters.temperature !== undefined ? { temperature: parameters.temperature } : {}),
    ...(parameters.topP !== undefined ? { topP: parameters.topP } : {}),
    ...(parameters.topK !== undefined ? { topK: parameters.topK } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}

/** The warning for a setting `backend` cannot honour; the call goes ahead without it. */
export function unsupportedSetting(setting: string, backend: string, detail?: string): CallWarning {
  return {
    type: 'unsupported-setting',
    setting,
    message: `${backend} does not support ${setting}; it was ignored${detail ? ` (${detail})` : ''}.`,
  };
}

/**
 * Vendor options for this call: `providerOptions[<adapter type>]` then `providerOptions[<provider
 * name>]`, the later winning. They go into the backend's request as they are.
 */
export function vendorOptions(
  providerOptions: Record<string, Record<string, unknown>> | undefined,
  type: string,
  name: string,
): Record<string, unknown> | undefined {
  if (!providerOptions) return undefined;
  const byType = providerOptions[type];
  const byName = name === type ? undefined : providerOptions[name];
  if (!byType && !byName) return undefined;
  return { ...byType, ...byName };
}
