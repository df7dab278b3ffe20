/**
 * @module models/providers/shared/openai-chat-format
 * The OpenAI chat shapes that OpenAI-compatible servers and watsonx's `/ml/v1/text/chat` share:
 * messages, tool definitions, tool choice, and finish reasons translated to watsonx's vocabulary.
 */
import type { ChatMessage, FinishReason, ToolChoice, ToolDefinition } from '../../../spec/language-model.js';

export function toOpenAIMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return message.name
        ? { role: 'user', content: message.content, name: message.name }
        : { role: 'user', content: message.content };
    case 'assistant':
      return message.toolCalls?.length
        ? {
            role: 'assistant',
            content: message.content || null,
            tool_calls: message.toolCalls.map((call) => ({
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          }
        : { role: 'assistant', content: message.content };
    case 'tool':
      return { role: 'tool', content: message.content, tool_call_id: message.toolCallId };
  }
}

export function toOpenAITools(tools: ToolDefinition[]): Record<string, unknown>[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  }));
}

export function toOpenAIToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/**
 * OpenAI's `finish_reason` (plus vLLM's `stop_reason`, and watsonx chat's `time_limit`,
 * `cancelled` and `error`) in watsonx's vocabulary.
 */
export function toFinishReason(finishReason: unknown, stopReason: unknown): FinishReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    case 'time_limit':
      return 'time_limit';
    case 'cancelled':
      return 'cancelled';
    case 'error':
      return 'error';
    case 'stop':
      // vLLM names the stop string that matched; a number is a stop token id, i.e. an end token.
      return typeof stopReason === 'string' ? 'stop_sequence' : 'eos_token';
    default:
      return 'eos_token';
  }
}
