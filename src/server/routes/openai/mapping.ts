/**
 * @module server/routes/openai/mapping
 * OpenAI request fields → Keel's generation request (watsonx parameters), and Keel results →
 * OpenAI response objects. Fields Keel cannot honour become warnings, not errors.
 */
import type { ChatCompletionRequest, CompletionRequest, OpenAIMessage } from '../../../api/openai.js';
import { KeelError } from '../../../core/errors.js';
import type { GuardrailOutcome } from '../../../guardrails/request-guard.js';
import type { GenerationRequest } from '../../../models/generation-service.js';
import type {
  ChatMessage,
  FinishReason,
  GenerationParameters,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';

type SamplingFields = Pick<
  ChatCompletionRequest,
  | 'temperature'
  | 'top_p'
  | 'top_k'
  | 'max_tokens'
  | 'stop'
  | 'seed'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'repetition_penalty'
  | 'min_tokens'
>;

export function parametersFromOpenAI(
  body: SamplingFields & { max_completion_tokens?: number | null | undefined },
): GenerationParameters {
  const parameters: GenerationParameters = {};
  if (body.temperature !== undefined && body.temperature !== null) {
    parameters.temperature = body.temperature;
    parameters.decodingMethod = body.temperature === 0 ? 'greedy' : 'sample';
  }
  if (body.top_p !== undefined && body.top_p !== null) {
    parameters.topP = body.top_p;
    parameters.decodingMethod ??= 'sample';
  }
  if (body.top_k !== undefined && body.top_k !== null) parameters.topK = body.top_k;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) parameters.maxNewTokens = maxTokens;
  if (body.min_tokens !== undefined && body.min_tokens !== null) parameters.minNewTokens = body.min_tokens;
  if (body.stop !== undefined && body.stop !== null)
    parameters.stopSequences = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed !== undefined && body.seed !== null) parameters.randomSeed = body.seed;
  if (body.presence_penalty !== undefined && body.presence_penalty !== null)
    parameters.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty !== undefined && body.frequency_penalty !== null)
    parameters.frequencyPenalty = body.frequency_penalty;
  if (body.repetition_penalty !== undefined && body.repetition_penalty !== null)
    parameters.repetitionPenalty = body.repetition_penalty;
  return parameters;
}

function textOf(
  content: string | { type: string; text?: unknown }[] | null | undefined,
  path: (string | number)[],
): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      throw new KeelError(
        'invalid_request',
        `Content parts of type "${part.type}" are not supported; send text.`,
        {
          issues: [
            {
              code: 'unsupported_content',
              path: [...path, index, 'type'],
              message: `unsupported content part type "${part.type}"`,
            },
          ],
        },
      );
    })
    .join('');
}

export function messagesFromOpenAI(messages: OpenAIMessage[]): ChatMessage[] {
  return messages.map((message, index): ChatMessage => {
    const path = ['messages', index, 'content'];
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(message.content, path) };
      case 'user':
        return {
          role: 'user',
          content: textOf(message.content as never, path),
          ...(message.name ? { name: message.name } : {}),
        };
      case 'assistant':
        return {
          role: 'assistant',
          content: textOf(message.content, path),
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
      case 'tool':
        return { role: 'tool', content: textOf(message.content, path), toolCallId: message.tool_call_id };
    }
  });
}

export function toolsFromOpenAI(body: Pick<ChatCompletionRequest, 'tools' | 'tool_choice'>): {
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
} {
  if (!body.tools?.length) return {};
  const tools = body.tools.map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
  }));
  let toolChoice: ToolChoice | undefined;
  if (typeof body.tool_choice === 'string') toolChoice = body.tool_choice;
  else if (body.tool_choice) toolChoice = { name: body.tool_choice.function.name };
  return { tools, ...(toolChoice ? { toolChoice } : {}) };
}

export function responseFormatFromOpenAI(
  format: ChatCompletionRequest['response_format'],
): ResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json' };
  return {
    type: 'json',
    name: format.json_schema.name,
    ...(format.json_schema.schema ? { schema: format.json_schema.schema } : {}),
  };
}

/** Request fields Keel accepts but does not act on. */
export function ignoredFieldWarnings(body: Record<string, unknown>, fields: string[]): CallWarning[] {
  return fields
    .filter((field) => body[field] !== undefined && body[field] !== null && body[field] !== false)
    .map((field) => ({
      type: 'unsupported-setting' as const,
      setting: field,
      message: `${field} is not supported and was ignored.`,
    }));
}

export function chatRequestFromOpenAI(
  body: ChatCompletionRequest,
  abortSignal: AbortSignal,
): { request: GenerationRequest; warnings: CallWarning[] } {
  const responseFormat = responseFormatFromOpenAI(body.response_format);
  const request: GenerationRequest = {
    model: body.model,
    prompt: { type: 'chat', messages: messagesFromOpenAI(body.messages) },
    parameters: parametersFromOpenAI(body),
    ...toolsFromOpenAI(body),
    ...(responseFormat ? { responseFormat } : {}),
    abortSignal,
  };
  return { request, warnings: ignoredFieldWarnings(body, ['logprobs', 'top_logprobs', 'logit_bias']) };
}

export function completionRequestFromOpenAI(
  body: CompletionRequest,
  prompt: string,
  abortSignal: AbortSignal,
): { request: GenerationRequest; warnings: CallWarning[] } {
  const parameters = parametersFromOpenAI(body);
  // OpenAI's legacy completions default to 16 new tokens.
  parameters.maxNewTokens ??= 16;
  return {
    request: { model: body.model, prompt: { type: 'text', text: prompt }, parameters, abortSignal },
    warnings: ignoredFieldWarnings(body, ['suffix', 'best_of', 'logprobs', 'logit_bias']),
  };
}

/** A tool call as OpenAI (and watsonx chat) write it; with `index`, as a streamed delta's. */
export function toolCallJson(call: ToolCall, index?: number) {
  return {
    ...(index !== undefined ? { index } : {}),
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  };
}

export function openAIFinishReason(
  reason: FinishReason,
  hasToolCalls = false,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  if (hasToolCalls || reason === 'tool_calls') return 'tool_calls';
  if (reason === 'max_tokens' || reason === 'token_limit' || reason === 'time_limit') return 'length';
  if (reason === 'content_filter') return 'content_filter';
  return 'stop';
}

export function openAIWarnings(warnings: CallWarning[]): { warnings?: CallWarning[] } {
  return warnings.length ? { warnings } : {};
}

/** Little-endian float32, base64: what the OpenAI SDK decodes by default. */
export function embeddingToBase64(vector: Float32Array): string {
  const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  if (isLittleEndian) return bytes.toString('base64');
  const copy = Buffer.alloc(vector.length * 4);
  for (let index = 0; index < vector.length; index++) copy.writeFloatLE(vector[index]!, index * 4);
  return copy.toString('base64');
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** OpenAI clients expect an error, not a reply, when the input is refused by policy. */
export function rejectBlocked(outcome: GuardrailOutcome | undefined): void {
  if (outcome?.blocked !== 'input') return;
  const types = [
    ...new Set(
      outcome.input.filter((decision) => decision.action === 'block').map((decision) => decision.type),
    ),
  ];
  throw new KeelError(
    'guardrail_blocked',
    `The input was rejected by guardrail policy "${outcome.policy}" (${types.join(', ')}).`,
    {
      data: { policy: outcome.policy, types },
    },
  );
}
