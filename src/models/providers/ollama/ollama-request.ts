/**
 * @module models/providers/ollama/ollama-request
 * Builds Ollama `/api/chat` and `/api/generate` bodies from a Keel call. Sampling settings go in
 * `options` under Ollama's names (num_predict, repeat_penalty …); JSON output is `format`; text
 * prompts are sent `raw`, like every completions endpoint, so the model's chat template is not
 * wrapped around them.
 */
import type {
  ChatMessage,
  FinishReason,
  LanguageModelCallOptions,
  ToolCall,
} from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import { sampling, unsupportedSetting, vendorOptions } from '../shared/generation-parameters.js';

const backend = 'Ollama';

// Keys of an Ollama request that sit beside `options`; any other vendor key is a model option.
const topLevelKeys = new Set([
  'keep_alive',
  'think',
  'raw',
  'format',
  'template',
  'system',
  'suffix',
  'context',
  'images',
  'truncate',
  'shift',
  'logprobs',
  'top_logprobs',
]);

export interface OllamaRequest {
  endpoint: 'chat' | 'generate';
  body: Record<string, unknown>;
  warnings: CallWarning[];
  seed?: number;
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { value: text };
  }
}

export function toOllamaMessages(messages: ChatMessage[]): Record<string, unknown>[] {
  // Ollama names the tool a result belongs to, not the call id: look the name up from the call.
  const toolNames = new Map<string, string>();
  return messages.map((message) => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: message.content };
      case 'assistant':
        if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
        for (const call of message.toolCalls) toolNames.set(call.id, call.name);
        return {
          role: 'assistant',
          content: message.content,
          tool_calls: message.toolCalls.map((call) => ({
            function: { name: call.name, arguments: parseArguments(call.arguments) },
          })),
        };
      case 'tool': {
        const name = toolNames.get(message.toolCallId);
        return { role: 'tool', content: message.content, ...(name ? { tool_name: name } : {}) };
      }
    }
  });
}

export function buildOllamaRequest(args: {
  modelId: string;
  options: LanguageModelCallOptions;
  providerName: string;
  stream: boolean;
}): OllamaRequest {
  const { options } = args;
  const warnings: CallWarning[] = [];
  const chat = options.prompt.type === 'chat';
  const body: Record<string, unknown> = { model: args.modelId };
  if (options.prompt.type === 'chat') body.messages = toOllamaMessages(options.prompt.messages);
  else {
    body.prompt = options.prompt.text;
    body.raw = true;
  }
  body.stream = args.stream;

  const parameters = options.parameters ?? {};
  const modelOptions: Record<string, unknown> = {};
  const decoding = sampling(parameters);
  if (decoding.temperature !== undefined) modelOptions.temperature = decoding.temperature;
  if (decoding.topP !== undefined) modelOptions.top_p = decoding.topP;
  if (decoding.topK !== undefined) modelOptions.top_k = decoding.topK;
  if (decoding.seed !== undefined) modelOptions.seed = decoding.seed;
  if (parameters.maxNewTokens !== undefined) modelOptions.num_predict = parameters.maxNewTokens;
  if (parameters.minNewTokens) warnings.push(unsupportedSetting('min_new_tokens', backend));
  if (parameters.stopSequences?.length) modelOptions.stop = parameters.stopSequences;
  if (parameters.includeStopSequence && parameters.stopSequences?.length)
    warnings.push(
      unsupportedSetting('include_stop_sequence', backend, 'Ollama drops the matched stop sequence'),
    );
  if (parameters.repetitionPenalty !== undefined) modelOptions.repeat_penalty = parameters.repetitionPenalty;
  if (parameters.truncateInputTokens !== undefined)
    warnings.push(
      unsupportedSetting('truncate_input_tokens', backend, 'it can only cut prompts to the context window'),
    );
  if (parameters.presencePenalty !== undefined) modelOptions.presence_penalty = parameters.presencePenalty;
  if (parameters.frequencyPenalty !== undefined) modelOptions.frequency_penalty = parameters.frequencyPenalty;

  if (options.tools?.length) {
    if (!chat) {
      warnings.push(
        unsupportedSetting('tools', backend, 'text prompts go to /api/generate, which has no tools'),
      );
    } else if (options.toolChoice === 'none') {
      // Ollama has no tool_choice; leaving the tools out is exactly "none".
    } else {
      body.tools = options.tools.map((tool) => ({
        type: 'function',
        function: {
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          parameters: tool.parameters,
        },
      }));
      if (options.toolChoice !== undefined && options.toolChoice !== 'auto')
        warnings.push(unsupportedSetting('tool_choice', backend, 'the model decides whether to call a tool'));
    }
  }

  if (options.responseFormat?.type === 'json') body.format = options.responseFormat.schema ?? 'json';

  const vendor = vendorOptions(options.providerOptions, 'ollama', args.providerName);
  if (vendor) {
    for (const [key, value] of Object.entries(vendor)) {
      if (topLevelKeys.has(key)) body[key] = value;
      else modelOptions[key] = value;
    }
  }
  if (Object.keys(modelOptions).length > 0) body.options = modelOptions;
  return {
    endpoint: chat ? 'chat' : 'generate',
    body,
    warnings,
    ...(decoding.seed !== undefined && !decoding.greedy ? { seed: decoding.seed } : {}),
  };
}

export interface OllamaToolCall {
  id?: string;
  function?: { index?: number; name?: string; arguments?: unknown };
}

export function fromOllamaToolCalls(calls: OllamaToolCall[] | undefined, offset = 0): ToolCall[] {
  return (calls ?? []).map((call, position) => ({
    id: call.id ?? `call_${call.function?.index ?? offset + position}`,
    name: call.function?.name ?? '',
    arguments:
      typeof call.function?.arguments === 'string'
        ? call.function.arguments
        : JSON.stringify(call.function?.arguments ?? {}),
  }));
}

/** Ollama's `done_reason` in watsonx's vocabulary (Ollama says `stop` for stop sequences too). */
export function toFinishReason(doneReason: unknown, toolCalls: boolean): FinishReason {
  if (toolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'max_tokens' : 'eos_token';
}
