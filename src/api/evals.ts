/**
 * @module api/evals
 * Request and response shapes of `/api/v1/datasets` and `/api/v1/evaluations`, shared by the
 * server, the CLI and the SDK.
 */
import { z } from '@hono/zod-openapi';
import { promptParametersSchema } from './prompts.js';

const name = z.string().min(1).max(200);
const columns = z.array(z.string().min(1).max(200)).max(200);

export const columnMappingSchema = z.strictObject({
  input: columns.min(1).optional().describe('columns the target receives (default: every unmapped column)'),
  reference: z
    .union([z.string().min(1).max(200), columns.min(1)])
    .optional()
    .describe('reference output column(s); a cell may hold one text or a list'),
  label: z.string().min(1).max(200).optional(),
  contexts: z.string().min(1).max(200).optional(),
  metadata: columns.optional(),
  split: z.string().min(1).max(200).optional().describe('a column naming each row’s split'),
});

export const randomSplitsSchema = z.strictObject({
  fractions: z.record(z.string().min(1).max(50), z.number().min(0).max(1)),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
});

export const datasetFormatSchema = z.enum(['csv', 'tsv', 'jsonl', 'json', 'parquet']);

/** JSON upload: rows as objects; or a file's text in a text format. */
export const createDatasetSchema = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  message: z.string().max(500).optional(),
  mapping: columnMappingSchema.optional(),
  splits: randomSplitsSchema.optional(),
  rows: z.array(z.record(z.string(), z.unknown())).min(1).max(100_000).optional(),
  content: z.string().optional().describe('a CSV, TSV, JSONL or JSON file as text (with `format`)'),
  format: datasetFormatSchema.optional(),
});
export type CreateDatasetRequest = z.infer<typeof createDatasetSchema>;

export const columnSummarySchema = z.object({
  name: z.string(),
  type: z.string(),
  empty: z.number().int(),
  role: z.string(),
});

export const datasetVersionSchema = z.object({
  version: z.number().int(),
  content_hash: z.string(),
  format: z.string(),
  mapping: z.record(z.string(), z.unknown()),
  columns: z.array(columnSummarySchema),
  row_count: z.number().int(),
  splits: z.record(z.string(), z.number()),
  message: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  latest_version: z.number().int(),
  row_count: z.number().int().optional(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: datasetVersionSchema.nullable().optional(),
});

export const datasetItemSchema = z.object({
  ordinal: z.number().int(),
  input: z.record(z.string(), z.unknown()),
  references: z.array(z.string()),
  label: z.string().nullable(),
  contexts: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  split: z.string().nullable(),
});

export const addDatasetResponseSchema = z.object({
  dataset: datasetSchema,
  version: datasetVersionSchema,
  /** False when the same content was already a version (that version is returned). */
  created: z.boolean(),
});

export const previewQuerySchema = z.object({
  version: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  split: z.string().min(1).max(50).optional(),
});

const targetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('template'),
    prompt: z.string().min(1).max(300).describe('name, name@3 or name@label'),
    model: z.string().min(1).max(300).optional(),
    parameters: promptParametersSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('rag'),
    collection: z.string().min(1).max(200),
    question_column: z.string().min(1).max(200).optional(),
    model: z.string().min(1).max(300).optional(),
    top_k: z.number().int().min(1).max(50).optional(),
    mode: z.enum(['hybrid', 'keyword', 'vector']).optional(),
    config_version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('the configuration version to answer with (default: the current one, pinned at creation)'),
  }),
  z.strictObject({
    kind: z.literal('model'),
    model: z.string().min(1).max(300),
    prompt: z.string().min(1).max(100_000).optional().describe('text with {{column}} placeholders'),
    parameters: promptParametersSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('deployment'), deployment: z.string().min(1).max(200) }),
]);

export const thresholdSchema = z
  .strictObject({
    metric: z.string().min(1).max(100),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: 'give min, max or both' });

export const createEvaluationSchema = z.strictObject({
  name: z.string().max(200).optional(),
  target: targetSchema,
  dataset: z.string().min(1).max(200).describe('dataset id or name'),
  dataset_version: z.number().int().min(1).optional(),
  split: z.string().min(1).max(50).optional(),
  sample: z
    .strictObject({
      size: z.number().int().min(1).optional(),
      fraction: z.number().gt(0).max(1).optional(),
      seed: z.number().int().min(0).max(4_294_967_295).optional(),
    })
    .optional(),
  metrics: z.array(z.string().min(1).max(100)).min(1).max(30),
  thresholds: z.array(thresholdSchema).max(30).optional(),
  options: z
    .strictObject({
      concurrency: z.number().int().min(1).max(32).optional(),
      item_timeout_ms: z.number().int().min(1).max(3_600_000).optional(),
      judge_model: z.string().min(1).max(300).optional(),
      cache: z.boolean().optional(),
      bootstrap_seed: z.number().int().min(0).optional(),
    })
    .optional(),
});
export type CreateEvaluationRequest = z.infer<typeof createEvaluationSchema>;

const intervalSchema = z.object({
  mean: z.number(),
  low: z.number(),
  high: z.number(),
  confidence: z.number(),
});

export const evaluationSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  job_id: z.string().nullable(),
  target: z.record(z.string(), z.unknown()),
  dataset_id: z.string(),
  dataset_version: z.number().int(),
  items: z.number().int(),
  metrics: z.array(z.string()),
  thresholds: z.array(
    z.object({ metric: z.string(), min: z.number().optional(), max: z.number().optional() }),
  ),
  options: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  passed: z.boolean().nullable(),
  aggregates: z
    .object({
      metrics: z.record(
        z.string(),
        z.object({
          metric: z.string(),
          score: z.number(),
          ci: intervalSchema.nullable(),
          n: z.number().int(),
          higher_is_better: z.boolean(),
          details: z.record(z.string(), z.unknown()).optional(),
        }),
      ),
      thresholds: z.array(
        z.object({
          metric: z.string(),
          min: z.number().optional(),
          max: z.number().optional(),
          value: z.number().nullable(),
          passed: z.boolean(),
        }),
      ),
      items: z.object({ total: z.number(), succeeded: z.number(), failed: z.number(), cached: z.number() }),
      failures: z.record(z.string(), z.number()),
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  /** The feature that recorded the run (`rag.experiment`, `prompts.compare`), its id, and the cell (grid point) it covers. */
  source: z.object({ kind: z.string(), id: z.string(), cell: z.string().nullable() }).nullable(),
});
export type EvaluationJson = z.infer<typeof evaluationSchema>;

export const evaluationItemSchema = z.object({
  ordinal: z.number().int(),
  status: z.enum(['succeeded', 'failed']),
  output: z.string().nullable(),
  scores: z.record(z.string(), z.number()),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  latency_ms: z.number().nullable(),
  input_tokens: z.number().nullable(),
  output_tokens: z.number().nullable(),
  cost: z.number().nullable(),
  cached: z.boolean(),
  /** The dataset item (input, references …), for the drill-down. */
  item: datasetItemSchema.nullable(),
});

export const itemsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  status: z.enum(['succeeded', 'failed']).optional(),
});

export const compareQuerySchema = z.object({
  a: z.string().min(1).max(100),
  b: z.string().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const comparisonSchema = z.object({
  a: z.string(),
  b: z.string(),
  same_dataset: z.boolean(),
  metrics: z.array(
    z.object({
      metric: z.string(),
      method: z
        .enum(['paired', 'unpaired'])
        .describe(
          'paired: over the items both runs scored (same dataset version; paired t-test and bootstrap); unpaired: each run as an independent sample (Welch t-test, bootstrap per run)',
        ),
      n: z.number().int().describe('pairs, or both runs’ items together when unpaired'),
      n_a: z.number().int(),
      n_b: z.number().int(),
      mean_a: z.number(),
      mean_b: z.number(),
      difference: z.number(),
      ci: z.object({ low: z.number(), high: z.number(), confidence: z.number() }),
      p_value: z.number(),
      significant: z.boolean(),
      verdict: z.enum(['better', 'worse', 'no_difference']),
    }),
  ),
  items: z.array(
    z.object({
      ordinal: z.number().int(),
      a: z
        .object({
          status: z.string(),
          output: z.string().nullable(),
          scores: z.record(z.string(), z.number()),
        })
        .nullable(),
      b: z
        .object({
          status: z.string(),
          output: z.string().nullable(),
          scores: z.record(z.string(), z.number()),
        })
        .nullable(),
    }),
  ),
});
export type ComparisonJson = z.infer<typeof comparisonSchema>;
