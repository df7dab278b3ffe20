/**
 * @module api/openai
 * Request and response shapes of Keel's OpenAI-compatible API (`/v1/...`), as zod schemas shared
 * by the server (validation, OpenAPI document) and the SDK. Requests are loose objects: fields
 * Keel does not use are accepted and reported as warnings, never rejected, so that any OpenAI
 * client works unchanged.
 */
import { z } from 'zod';

const stop = z.union([z.string(), z.array(z.string()).max(16)]).nullish();

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const contentPart = z.looseObject({ type: z.string() });

export const openAIToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const openAIMessageSchema = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.literal('system'),
    content: z.union([z.string(), z.array(textPart)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('developer'),
    content: z.union([z.string(), z.array(textPart)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(contentPart)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(textPart)]).nullish(),
    name: z.string().optional(),
    tool_calls: z.array(openAIToolCallSchema).optional(),
  }),
  z.looseObject({
    role: z.literal('tool'),
    content: z.union([z.string(), z.array(textPart)]),
    tool_call_id: z.string(),
  }),
]);
export type OpenAIMessage = z.infer<typeof openAIMessageSchema>;

export const openAIToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

export const openAIResponseFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const samplingFields = {
  model: z.string().min(1).describe('provider:model, e.g. llamacpp:granite-3.3-2b-instruct'),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(8).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  stop,
  max_tokens: z.number().int().min(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  // Extensions many OpenAI-compatible servers (vLLM, llama.cpp server) accept.
  top_k: z.number().int().min(1).max(1000).nullish(),
  min_tokens: z.number().int().min(0).nullish(),
  repetition_penalty: z.number().min(0.5).max(2).nullish(),
};

export const chatCompletionRequestSchema = z.looseObject({
  ...samplingFields,
  messages: z.array(openAIMessageSchema).min(1, 'at least one message'),
  max_completion_tokens: z.number().int().min(1).nullish(),
  tools: z.array(openAIToolSchema).max(128).optional(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: openAIResponseFormatSchema.optional(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const completionRequestSchema = z.looseObject({
  ...samplingFields,
  prompt: z.union([z.string(), z.array(z.string()).min(1).max(32)]),
  echo: z.boolean().nullish(),
  suffix: z.string().nullish(),
  best_of: z.number().int().nullish(),
  logprobs: z.number().int().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

export const openAIUsageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

export const warningSchema = z.object({
  type: z.string(),
  setting: z.string().optional(),
  message: z.string(),
});

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        tool_calls: z.array(openAIToolCallSchema).optional(),
      }),
      finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
      logprobs: z.null(),
    }),
  ),
  usage: openAIUsageSchema,
  system_fingerprint: z.string().nullable(),
  warnings: z.array(warningSchema).optional(),
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

export const completionSchema = z.object({
  id: z.string(),
  object: z.literal('text_completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      text: z.string(),
      finish_reason: z.enum(['stop', 'length', 'content_filter']),
      logprobs: z.null(),
    }),
  ),
  usage: openAIUsageSchema,
  system_fingerprint: z.string().nullable(),
  warnings: z.array(warningSchema).optional(),
});

export const embeddingResponseSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      object: z.literal('embedding'),
      index: z.number().int(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  model: z.string(),
  usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  warnings: z.array(warningSchema).optional(),
});

export const openAIModelSchema = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
});

export const modelListSchema = z.object({ object: z.literal('list'), data: z.array(openAIModelSchema) });

export const openAIErrorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string(),
    issues: z
      .array(
        z.object({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.string() }),
      )
      .optional(),
  }),
});
