/**
 * @module models/providers/watsonx/watsonx-request
 * Builds watsonx.ai request bodies. Text prompts go to `/ml/v1/text/generation`, whose
 * `parameters` are Keel's own vocabulary in snake_case — everything maps natively except the
 * OpenAI-style penalties. Chat prompts go to `/ml/v1/text/chat`, which has OpenAI's shape and
 * lacks top_k, min_new_tokens, include_stop_sequence and truncate_input_tokens.
 */
import type { FinishReason, LanguageModelCallOptions } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import { sampling, unsupportedSetting, vendorOptions } from '../shared/generation-parameters.js';
import { toOpenAIMessage, toOpenAITools } from '../shared/openai-chat-format.js';

export interface WatsonxScope {
  projectId?: string | undefined;
  spaceId?: string | undefined;
}

export interface WatsonxRequest {
  endpoint: 'generation' | 'chat';
  body: Record<string, unknown>;
  warnings: CallWarning[];
  seed?: number;
}

// Top-level fields of a text generation request; other vendor options are `parameters`.
const generationTopLevel = new Set(['moderations', 'crypto']);

/** `project_id` or `space_id`, as every inference call needs one of them. */
export function scopeFields(scope: WatsonxScope): Record<string, string> {
  if (scope.projectId) return { project_id: scope.projectId };
  if (scope.spaceId) return { space_id: scope.spaceId };
  return {};
}

export function buildWatsonxRequest(args: {
  modelId: string;
  options: LanguageModelCallOptions;
  /** `project_id` or `space_id` (see scopeFields). */
  scope: Record<string, string>;
  providerName: string;
}): WatsonxRequest {
  return args.options.prompt.type === 'chat' ? chatRequest(args) : generationRequest(args);
}

function generationRequest(args: {
  modelId: string;
  options: LanguageModelCallOptions;
  /** `project_id` or `space_id` (see scopeFields). */
  scope: Record<string, string>;
  providerName: string;
}): WatsonxRequest {
  const { options } = args;
  const backend = 'watsonx.ai text generation';
  const warnings: CallWarning[] = [];
  const p = options.parameters ?? {};
  const parameters: Record<string, unknown> = {};
  const samplingGiven =
    p.temperature !== undefined || p.topP !== undefined || p.topK !== undefined || p.randomSeed !== undefined;
  // watsonx decodes greedily unless told otherwise; sampling settings without a method mean sampling.
  const method = p.decodingMethod ?? (samplingGiven ? 'sample' : undefined);
  let seed: number | undefined;
  if (method) parameters.decoding_method = method;
  if (method === 'sample') {
    if (p.temperature !== undefined) parameters.temperature = p.temperature;
    if (p.topP !== undefined) parameters.top_p = p.topP;
    if (p.topK !== undefined) parameters.top_k = p.topK;
    if (p.randomSeed !== undefined) {
      parameters.random_seed = p.randomSeed;
      seed = p.randomSeed;
    }
  }
  if (p.maxNewTokens !== undefined) parameters.max_new_tokens = p.maxNewTokens;
  if (p.minNewTokens !== undefined) parameters.min_new_tokens = p.minNewTokens;
  if (p.stopSequences?.length) {
    parameters.stop_sequences = p.stopSequences;
    // watsonx keeps the matched stop sequence unless told not to; Keel's default is to drop it.
    parameters.include_stop_sequence = p.includeStopSequence ?? false;
  }
  if (p.repetitionPenalty !== undefined) parameters.repetition_penalty = p.repetitionPenalty;
  if (p.truncateInputTokens !== undefined) parameters.truncate_input_tokens = p.truncateInputTokens;
  if (p.timeLimitMs !== undefined) parameters.time_limit = p.timeLimitMs;
  if (p.presencePenalty !== undefined) warnings.push(unsupportedSetting('presence_penalty', backend));
  if (p.frequencyPenalty !== undefined) warnings.push(unsupportedSetting('frequency_penalty', backend));
  if (options.tools?.length)
    warnings.push(unsupportedSetting('tools', backend, 'send a chat prompt to use tools'));
  if (options.responseFormat?.type === 'json')
    warnings.push(unsupportedSetting('response_format', backend, 'send a chat prompt for JSON output'));

  const body: Record<string, unknown> = {
    model_id: args.modelId,
    input: options.prompt.type === 'text' ? options.prompt.text : '',
    ...args.scope,
  };
  const vendor = vendorOptions(options.providerOptions, 'watsonx', args.providerName);
  if (vendor) {
    for (const [key, value] of Object.entries(vendor)) {
      if (generationTopLevel.has(key)) body[key] = value;
      else parameters[key] = value;
    }
  }
  if (Object.keys(parameters).length > 0) body.parameters = parameters;
  return { endpoint: 'generation', body, warnings, ...(seed !== undefined ? { seed } : {}) };
}

function chatRequest(args: {
  modelId: string;
  options: LanguageModelCallOptions;
  /** `project_id` or `space_id` (see scopeFields). */
  scope: Record<string, string>;
  providerName: string;
}): WatsonxRequest {
  const { options } = args;
  const backend = 'watsonx.ai chat';
  const warnings: CallWarning[] = [];
  const p = options.parameters ?? {};
  const body: Record<string, unknown> = {
    model_id: args.modelId,
    messages: options.prompt.type === 'chat' ? options.prompt.messages.map(toOpenAIMessage) : [],
    ...args.scope,
  };
  const decoding = sampling(p);
  if (decoding.temperature !== undefined) body.temperature = decoding.temperature;
  if (decoding.topP !== undefined) body.top_p = decoding.topP;
  if (decoding.topK !== undefined) warnings.push(unsupportedSetting('top_k', backend));
  if (decoding.seed !== undefined) body.seed = decoding.seed;
  if (p.maxNewTokens !== undefined) body.max_tokens = p.maxNewTokens;
  if (p.minNewTokens) warnings.push(unsupportedSetting('min_new_tokens', backend));
  if (p.stopSequences?.length) body.stop = p.stopSequences;
  if (p.includeStopSequence && p.stopSequences?.length)
    warnings.push(
      unsupportedSetting('include_stop_sequence', backend, 'the matched stop sequence is dropped'),
    );
  if (p.repetitionPenalty !== undefined) body.repetition_penalty = p.repetitionPenalty;
  if (p.truncateInputTokens !== undefined)
    warnings.push(unsupportedSetting('truncate_input_tokens', backend));
  if (p.timeLimitMs !== undefined) body.time_limit = p.timeLimitMs;
  if (p.presencePenalty !== undefined) body.presence_penalty = p.presencePenalty;
  if (p.frequencyPenalty !== undefined) body.frequency_penalty = p.frequencyPenalty;

  if (options.tools?.length) {
    body.tools = toOpenAITools(options.tools);
    // watsonx takes a string choice and a named tool in two different fields; only one may be sent.
    if (typeof options.toolChoice === 'string') body.tool_choice_option = options.toolChoice;
    else if (options.toolChoice)
      body.tool_choice = { type: 'function', function: { name: options.toolChoice.name } };
  }
  const format = options.responseFormat;
  if (format?.type === 'json') {
    body.response_format = format.schema
      ? {
          type: 'json_schema',
          json_schema: { name: format.name ?? 'response', schema: format.schema, strict: true },
        }
      : { type: 'json_object' };
  }
  const vendor = vendorOptions(options.providerOptions, 'watsonx', args.providerName);
  if (vendor) Object.assign(body, vendor);
  return {
    endpoint: 'chat',
    body,
    warnings,
    ...(decoding.seed !== undefined && !decoding.greedy ? { seed: decoding.seed } : {}),
  };
}

/** watsonx's `stop_reason` (text generation) in Keel's vocabulary — they are the same words. */
export function toStopReason(reason: unknown): FinishReason {
  switch (typeof reason === 'string' ? reason.toLowerCase() : reason) {
    case 'max_tokens':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'token_limit':
      return 'token_limit';
    case 'time_limit':
      return 'time_limit';
    case 'cancelled':
      return 'cancelled';
    case 'error':
      return 'error';
    default:
      return 'eos_token';
  }
}
