/**
 * @module server/routes/watsonx/mapping
 * watsonx.ai request shapes → Keel's generation request, and results → watsonx response shapes.
 * watsonx's own defaults apply where a request leaves a parameter out (greedy decoding,
 * max_new_tokens 20), so answers match what watsonx clients expect.
 */
import type { ChatRequest, TextGenParameters } from '../../../api/watsonx.js';
import { KeelError } from '../../../core/errors.js';
import type { ChatMessage, FinishReason, GenerationParameters } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';

export function parametersFromWatsonx(parameters: TextGenParameters | undefined): GenerationParameters {
  const p = parameters ?? {};
  const result: GenerationParameters = {
    decodingMethod: p.decoding_method ?? 'greedy',
    maxNewTokens: p.max_new_tokens ?? 20,
  };
  if (p.min_new_tokens !== undefined) result.minNewTokens = p.min_new_tokens;
  if (result.decodingMethod === 'sample') {
    if (p.temperature !== undefined) result.temperature = p.temperature;
    if (p.top_k !== undefined) result.topK = p.top_k;
    if (p.top_p !== undefined) result.topP = p.top_p;
    if (p.random_seed !== undefined) result.randomSeed = p.random_seed;
  }
  if (p.stop_sequences?.length) result.stopSequences = p.stop_sequences;
  if (p.include_stop_sequence !== undefined) result.includeStopSequence = p.include_stop_sequence;
  if (p.repetition_penalty !== undefined) result.repetitionPenalty = p.repetition_penalty;
  if (p.time_limit !== undefined) result.timeLimitMs = p.time_limit;
  if (p.truncate_input_tokens !== undefined) result.truncateInputTokens = p.truncate_input_tokens;
  return result;
}

export function ignoredParameterWarnings(parameters: TextGenParameters | undefined): CallWarning[] {
  const warnings: CallWarning[] = [];
  if (!parameters) return warnings;
  if (parameters.length_penalty)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'length_penalty',
      message: 'length_penalty is not supported and was ignored.',
    });
  const options = parameters.return_options;
  for (const option of ['generated_tokens', 'input_tokens', 'token_logprobs', 'token_ranks'] as const) {
    if (options?.[option])
      warnings.push({
        type: 'unsupported-setting',
        setting: `return_options.${option}`,
        message: `return_options.${option} is not supported and was ignored.`,
      });
  }
  if (options?.top_n_tokens)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'return_options.top_n_tokens',
      message: 'return_options.top_n_tokens is not supported and was ignored.',
    });
  return warnings;
}

export function chatParametersFromWatsonx(body: ChatRequest): GenerationParameters {
  const result: GenerationParameters = {};
  if (body.temperature !== undefined) {
    result.temperature = body.temperature;
    result.decodingMethod = body.temperature === 0 ? 'greedy' : 'sample';
  }
  if (body.top_p !== undefined) {
    result.topP = body.top_p;
    result.decodingMethod ??= 'sample';
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined) result.maxNewTokens = maxTokens;
  if (body.stop?.length) result.stopSequences = body.stop;
  if (body.seed !== undefined) result.randomSeed = body.seed;
  if (body.presence_penalty !== undefined) result.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty !== undefined) result.frequencyPenalty = body.frequency_penalty;
  if (body.repetition_penalty !== undefined) result.repetitionPenalty = body.repetition_penalty;
  if (body.time_limit !== undefined) result.timeLimitMs = body.time_limit;
  return result;
}

export function chatMessagesFromWatsonx(messages: ChatRequest['messages']): ChatMessage[] {
  return messages.map((message, index): ChatMessage => {
    switch (message.role) {
      case 'system':
      case 'control':
        return { role: 'system', content: message.content };
      case 'user': {
        if (typeof message.content === 'string') return { role: 'user', content: message.content };
        const text = message.content.map((part, partIndex) => {
          if (part.type === 'text' && typeof part.text === 'string') return part.text;
          throw new KeelError(
            'invalid_request',
            `Content parts of type "${part.type}" are not supported; send text.`,
            {
              issues: [
                {
                  code: 'unsupported_content',
                  path: ['messages', index, 'content', partIndex, 'type'],
                  message: `unsupported content part type "${part.type}"`,
                },
              ],
            },
          );
        });
        return { role: 'user', content: text.join('') };
      }
      case 'assistant': {
        const content =
          typeof message.content === 'string'
            ? message.content
            : (message.content ?? []).map((part) => part.text).join('');
        return {
          role: 'assistant',
          content,
          ...(message.tool_calls?.length
            ? {
                toolCalls: message.tool_calls.map((call) => ({
                  id: call.id,
                  name: call.function.name,
                  arguments: call.function.arguments,
                })),
              }
            : {}),
        };
      }
      case 'tool':
        return { role: 'tool', content: message.content, toolCallId: message.tool_call_id };
    }
  });
}

/** watsonx's `stop_reason` is Keel's FinishReason vocabulary, except content_filter and tool calls. */
export function watsonxStopReason(
  reason: FinishReason,
): 'max_tokens' | 'eos_token' | 'cancelled' | 'time_limit' | 'stop_sequence' | 'token_limit' | 'error' {
  if (reason === 'content_filter' || reason === 'tool_calls') return 'eos_token';
  return reason;
}

export function watsonxChatFinishReason(
  reason: FinishReason,
  hasToolCalls: boolean,
): 'stop' | 'length' | 'tool_calls' | 'time_limit' | 'cancelled' | 'error' {
  if (hasToolCalls || reason === 'tool_calls') return 'tool_calls';
  if (reason === 'max_tokens' || reason === 'token_limit') return 'length';
  if (reason === 'time_limit' || reason === 'cancelled' || reason === 'error') return reason;
  return 'stop';
}

export function systemWarnings(warnings: CallWarning[]): {
  system?: { warnings: { message: string; id: string }[] };
} {
  if (!warnings.length) return {};
  return {
    system: {
      warnings: warnings.map((warning) => ({
        message: warning.message,
        id: warning.setting ? `unsupported_${warning.setting}` : warning.type,
      })),
    },
  };
}
