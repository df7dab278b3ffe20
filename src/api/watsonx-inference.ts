/**
 * @module api/watsonx-inference
 * Request and response shapes of Keel's watsonx.ai-compatible rerank, time-series forecast and
 * foundation-model-task routes, following IBM's REST API so the official SDK works unchanged.
 */
import { z } from 'zod';
import { watsonxContextFields, watsonxWarningSchema } from './watsonx.js';

/** watsonx.ai's own cap on rerank inputs per request. */
export const MAX_RERANK_INPUTS = 1_000;

export const rerankRequestSchema = z.looseObject({
  model_id: z
    .string()
    .min(1)
    .describe(
      '`keel/lexical-rerank` or `keel/lexical-ngram-rerank` (built in, offline, lexical) or `provider:model`',
    ),
  query: z.string(),
  inputs: z.array(z.looseObject({ text: z.string() })).min(1),
  ...watsonxContextFields,
  parameters: z
    .looseObject({
      truncate_input_tokens: z.number().int().min(1).optional(),
      return_options: z
        .looseObject({
          top_n: z.number().int().min(1).optional(),
          inputs: z.boolean().optional(),
          query: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type RerankRequest = z.infer<typeof rerankRequestSchema>;

export const rerankResponseSchema = z.object({
  model_id: z.string(),
  results: z.array(
    z.object({
      index: z.number().int(),
      score: z.number(),
      input: z.object({ text: z.string() }).optional(),
    }),
  ),
  created_at: z.string(),
  input_token_count: z.number().int(),
  query: z.string().optional(),
  system: z.object({ warnings: z.array(watsonxWarningSchema) }).optional(),
});

export const forecastRequestSchema = z.looseObject({
  model_id: z
    .string()
    .min(1)
    .describe(
      '`keel/holt-winters`, `keel/holt`, `keel/ses`, `keel/seasonal-naive`, a watsonx TTM name, or `provider:model`',
    ),
  data: z.record(z.string(), z.array(z.unknown())),
  schema: z.looseObject({
    timestamp_column: z.string().min(1),
    id_columns: z.array(z.string()).optional(),
    freq: z.string().optional(),
    target_columns: z.array(z.string()).optional(),
  }),
  ...watsonxContextFields,
  parameters: z.looseObject({ prediction_length: z.number().int().min(1).max(2_000).optional() }).optional(),
});
export type ForecastRequestBody = z.infer<typeof forecastRequestSchema>;

export const forecastResponseSchema = z.object({
  model_id: z.string(),
  created_at: z.string(),
  results: z.array(z.record(z.string(), z.array(z.unknown()))),
  system: z.object({ warnings: z.array(watsonxWarningSchema) }).optional(),
});

export const foundationModelTasksSchema = z.object({
  total_count: z.number().int(),
  limit: z.number().int(),
  first: z.object({ href: z.string() }),
  next: z.object({ href: z.string() }).optional(),
  resources: z.array(
    z.object({
      task_id: z.string(),
      label: z.string(),
      description: z.string().optional(),
      rank: z.number().int(),
    }),
  ),
});
