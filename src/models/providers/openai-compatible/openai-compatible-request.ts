/**
 * @module models/providers/openai-compatible/openai-compatible-request
 * Builds chat-completions and completions request bodies from a Keel call: messages and tools in
 * OpenAI's shape, watsonx-style parameters mapped through the dialect table, JSON output as
 * `response_format`, and one warning for each setting this server cannot honour.
 */
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import { sampling, unsupportedSetting, vendorOptions } from '../shared/generation-parameters.js';
import { toOpenAIMessage, toOpenAIToolChoice, toOpenAITools } from '../shared/openai-chat-format.js';
import { type DialectSpec, type Endpoint, fieldOn } from './openai-compatible-dialects.js';

export interface OpenAIRequest {
  endpoint: Endpoint;
  body: Record<string, unknown>;
  warnings: CallWarning[];
  /** The seed sent, reported back with the result. */
  seed?: number;
}

export interface BuildRequestArgs {
  modelId: string;
  options: LanguageModelCallOptions;
  spec: DialectSpec;
  /** The configured provider name, for `providerOptions[<name>]`. */
  providerName: string;
  stream: boolean;
}

export function buildOpenAIRequest(args: BuildRequestArgs): OpenAIRequest {
  const { options, spec, stream } = args;
  const endpoint: Endpoint = options.prompt.type === 'chat' ? 'chat' : 'completion';
  const warnings: CallWarning[] = [];
  const body: Record<string, unknown> = { model: args.modelId };
  if (options.prompt.type === 'chat') body.messages = options.prompt.messages.map(toOpenAIMessage);
  else body.prompt = options.prompt.text;

  const parameters = options.parameters ?? {};
  const where = endpoint === 'chat' ? 'on chat completions' : 'on completions';
  const put = (setting: string, field: string | undefined, value: unknown) => {
    if (field) body[field] = value;
    else warnings.push(unsupportedSetting(setting, spec.label, where));
  };

  const decoding = sampling(parameters);
  if (decoding.temperature !== undefined) body.temperature = decoding.temperature;
  if (decoding.topP !== undefined) body.top_p = decoding.topP;
  if (decoding.topK !== undefined) put('top_k', fieldOn(spec.topK, endpoint), decoding.topK);
  if (decoding.seed !== undefined) body.seed = decoding.seed;
  if (parameters.maxNewTokens !== undefined) body.max_tokens = parameters.maxNewTokens;
  if (parameters.minNewTokens)
    put('min_new_tokens', fieldOn(spec.minNewTokens, endpoint), parameters.minNewTokens);
  if (parameters.stopSequences?.length) body.stop = parameters.stopSequences;
  // Leaving the stop string out is what every OpenAI-style server does already; only `true` needs support.
  if (parameters.includeStopSequence && parameters.stopSequences?.length)
    put('include_stop_sequence', fieldOn(spec.includeStopSequence, endpoint), true);
  // 1.0 is "no penalty": nothing is lost when a server cannot take it.
  if (parameters.repetitionPenalty !== undefined && parameters.repetitionPenalty !== 1)
    put('repetition_penalty', fieldOn(spec.repetitionPenalty, endpoint), parameters.repetitionPenalty);
  if (parameters.truncateInputTokens !== undefined)
    put('truncate_input_tokens', fieldOn(spec.truncateInputTokens, endpoint), parameters.truncateInputTokens);
  if (parameters.presencePenalty !== undefined)
    put('presence_penalty', fieldOn(spec.presencePenalty, endpoint), parameters.presencePenalty);
  if (parameters.frequencyPenalty !== undefined)
    put('frequency_penalty', fieldOn(spec.frequencyPenalty, endpoint), parameters.frequencyPenalty);

  if (options.tools?.length) {
    if (endpoint === 'chat') {
      body.tools = toOpenAITools(options.tools);
      if (options.toolChoice !== undefined) body.tool_choice = toOpenAIToolChoice(options.toolChoice);
    } else {
      warnings.push(
        unsupportedSetting(
          'tools',
          spec.label,
          'text prompts go to the completions endpoint, which has no tools',
        ),
      );
    }
  }

  const format = options.responseFormat;
  if (format?.type === 'json') {
    if (!spec.jsonOutput.on.includes(endpoint)) {
      warnings.push(unsupportedSetting('response_format', spec.label, where));
    } else if (spec.jsonOutput.style === 'tgi') {
      body.response_format = { type: 'json', value: format.schema ?? { type: 'object' } };
    } else {
      body.response_format = format.schema
        ? {
            type: 'json_schema',
            json_schema: { name: format.name ?? 'response', schema: format.schema, strict: true },
          }
        : { type: 'json_object' };
    }
  }

  if (stream) {
    body.stream = true;
    // Without it OpenAI-style servers send no token usage when streaming.
    body.stream_options = { include_usage: true };
  }
  const vendor = vendorOptions(options.providerOptions, 'openai-compatible', args.providerName);
  if (vendor) Object.assign(body, vendor);
  return {
    endpoint,
    body,
    warnings,
    ...(decoding.seed !== undefined && !decoding.greedy ? { seed: decoding.seed } : {}),
  };
}
