/**
 * @module api/watsonx
 * Request and response shapes of Keel's watsonx.ai-compatible API (`/ml/v1/...`), following IBM's
 * REST API so that the official `@ibm-cloud/watsonx-ai` SDK works unchanged. Shared by the server
 * and the SDK.
 */
import { z } from 'zod';

export const watsonxContextFields = {
  project_id: z.string().min(1).optional().describe('Keel project id (defaults to the key’s project)'),
  space_id: z.string().min(1).optional().describe('treated like project_id'),
};

export const textModerationSchema = z.looseObject({
  enabled: z.boolean().optional(),
  threshold: z.number().min(0).max(1).optional(),
});

export const moderationsSchema = z.looseObject({
  hap: z
    .looseObject({
      input: textModerationSchema.optional(),
      output: textModerationSchema.optional(),
      mask: z.looseObject({ remove_entity_value: z.boolean().optional() }).optional(),
    })
    .optional(),
  pii: z
    .looseObject({
      input: textModerationSchema.optional(),
      output: textModerationSchema.optional(),
      mask: z.looseObject({ remove_entity_value: z.boolean().optional() }).optional(),
    })
    .optional(),
  input_ranges: z
    .array(z.object({ start: z.number().int().min(0), end: z.number().int().min(0) }))
    .optional(),
});
export type Moderations = z.infer<typeof moderationsSchema>;

export const textGenParametersSchema = z.looseObject({
  decoding_method: z.enum(['greedy', 'sample']).optional(),
  length_penalty: z
    .looseObject({ decay_factor: z.number().optional(), start_index: z.number().int().optional() })
    .optional(),
  max_new_tokens: z.number().int().min(0).optional(),
  min_new_tokens: z.number().int().min(0).optional(),
  random_seed: z.number().int().min(1).optional(),
  stop_sequences: z.array(z.string().min(1)).max(6).optional(),
  temperature: z.number().min(0).max(2).optional(),
  time_limit: z.number().int().min(1).optional().describe('milliseconds'),
  top_k: z.number().int().min(1).max(100).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  repetition_penalty: z.number().min(1).max(2).optional(),
  truncate_input_tokens: z.number().int().min(0).optional(),
  return_options: z
    .looseObject({
      input_text: z.boolean().optional(),
      generated_tokens: z.boolean().optional(),
      input_tokens: z.boolean().optional(),
      token_logprobs: z.boolean().optional(),
      token_ranks: z.boolean().optional(),
      top_n_tokens: z.number().int().optional(),
    })
    .optional(),
  include_stop_sequence: z.boolean().optional(),
});
export type TextGenParameters = z.infer<typeof textGenParametersSchema>;

export const textGenRequestSchema = z.looseObject({
  input: z.string(),
  model_id: z.string().min(1),
  ...watsonxContextFields,
  parameters: textGenParametersSchema.optional(),
  moderations: moderationsSchema.optional(),
});
export type TextGenRequest = z.infer<typeof textGenRequestSchema>;

export const watsonxWarningSchema = z.object({ message: z.string(), id: z.string().optional() });

export const moderationResultSchema = z.object({
  score: z.number(),
  input: z.boolean(),
  position: z.object({ start: z.number().int(), end: z.number().int() }),
  entity: z.string(),
  word: z.string().optional(),
});

export const textGenResultSchema = z.object({
  generated_text: z.string(),
  generated_token_count: z.number().int(),
  input_token_count: z.number().int(),
  stop_reason: z.enum([
    'not_finished',
    'max_tokens',
    'eos_token',
    'cancelled',
    'time_limit',
    'stop_sequence',
    'token_limit',
    'error',
  ]),
  seed: z.number().int().optional(),
  input_text: z.string().optional(),
  moderations: z
    .object({
      hap: z.array(moderationResultSchema).optional(),
      pii: z.array(moderationResultSchema).optional(),
    })
    .optional(),
});

export const textGenResponseSchema = z.object({
  model_id: z.string(),
  model_version: z.string().optional(),
  created_at: z.string(),
  results: z.array(textGenResultSchema),
  system: z.object({ warnings: z.array(watsonxWarningSchema) }).optional(),
});
export type TextGenResponse = z.infer<typeof textGenResponseSchema>;

const chatTextPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const chatToolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const chatMessageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: z.string(), name: z.string().optional() }),
  z.looseObject({ role: z.literal('control'), content: z.string() }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(chatTextPart)]).nullish(),
    name: z.string().optional(),
    tool_calls: z.array(chatToolCall).optional(),
    refusal: z.string().optional(),
  }),
  z.looseObject({ role: z.literal('tool'), content: z.string(), tool_call_id: z.string() }),
]);

export const chatRequestSchema = z.looseObject({
  model_id: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  ...watsonxContextFields,
  tools: z
    .array(
      z.looseObject({
        type: z.literal('function'),
        function: z.looseObject({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .optional(),
  tool_choice_option: z.enum(['none', 'auto', 'required']).optional(),
  tool_choice: z
    .looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) })
    .optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  logprobs: z.boolean().optional(),
  top_logprobs: z.number().int().optional(),
  logit_bias: z.record(z.string(), z.number()).optional(),
  max_tokens: z.number().int().min(1).optional(),
  max_completion_tokens: z.number().int().min(1).optional(),
  n: z.number().int().min(1).max(1).optional(),
  response_format: z
    .looseObject({
      type: z.enum(['text', 'json_object', 'json_schema']),
      json_schema: z
        .looseObject({
          name: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string()).max(4).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  time_limit: z.number().int().min(1).optional(),
  repetition_penalty: z.number().min(0.5).max(2).optional(),
  moderations: moderationsSchema.optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const chatResponseSchema = z.object({
  id: z.string(),
  model_id: z.string(),
  model: z.string(),
  created: z.number().int(),
  created_at: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({
        role: z.literal('assistant'),
        content: z.string(),
        tool_calls: z.array(chatToolCall).optional(),
      }),
      finish_reason: z.enum(['stop', 'length', 'tool_calls', 'time_limit', 'cancelled', 'error']),
    }),
  ),
  usage: z.object({
    completion_tokens: z.number().int(),
    prompt_tokens: z.number().int(),
    total_tokens: z.number().int(),
  }),
  system: z.object({ warnings: z.array(watsonxWarningSchema) }).optional(),
});

export const embeddingsRequestSchema = z.looseObject({
  inputs: z.array(z.string()).min(1).max(1000),
  model_id: z.string().min(1),
  ...watsonxContextFields,
  parameters: z
    .looseObject({
      truncate_input_tokens: z.number().int().min(1).optional(),
      return_options: z.looseObject({ input_text: z.boolean().optional() }).optional(),
    })
    .optional(),
});

export const embeddingsResponseSchema = z.object({
  model_id: z.string(),
  results: z.array(z.object({ embedding: z.array(z.number()), input: z.string().optional() })),
  created_at: z.string(),
  input_token_count: z.number().int(),
  system: z.object({ warnings: z.array(watsonxWarningSchema) }).optional(),
});

export const tokenizationRequestSchema = z.looseObject({
  input: z.string(),
  model_id: z.string().min(1),
  ...watsonxContextFields,
  parameters: z.looseObject({ return_tokens: z.boolean().optional() }).optional(),
});

export const tokenizationResponseSchema = z.object({
  model_id: z.string(),
  result: z.object({ token_count: z.number().int(), tokens: z.array(z.string()).optional() }),
});

export const foundationModelSchema = z.object({
  model_id: z.string(),
  label: z.string(),
  provider: z.string(),
  source: z.string(),
  short_description: z.string(),
  long_description: z.string().optional(),
  task_ids: z.array(z.string()),
  tasks: z.array(z.object({ id: z.string() })),
  input_tier: z.string(),
  output_tier: z.string(),
  number_params: z.string(),
  model_limits: z.object({
    max_sequence_length: z.number().int().optional(),
    max_output_tokens: z.number().int().optional(),
  }),
  functions: z.array(z.object({ id: z.string() })).optional(),
  lifecycle: z.array(z.object({ id: z.string(), start_date: z.string().optional() })),
});

export const foundationModelSpecsSchema = z.object({
  total_count: z.number().int(),
  limit: z.number().int(),
  first: z.object({ href: z.string() }),
  next: z.object({ href: z.string() }).optional(),
  resources: z.array(foundationModelSchema),
});

export const watsonxErrorSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string(), more_info: z.string().optional() })),
  trace: z.string(),
  status_code: z.number().int(),
  issues: z
    .array(
      z.object({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.string() }),
    )
    .optional(),
});
