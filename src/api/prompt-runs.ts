/**
 * @module api/prompt-runs
 * Running prompts (`/api/v1/prompt-runs`, `/api/v1/compare`): render and run requests, the
 * recorded run and its streamed events, run search, and side-by-side comparisons of variants and
 * models. Re-exported by `api/prompts`.
 */
import { z } from 'zod';
import { instantSchema } from './instant.js';
import { issueSchema } from './platform.js';
import {
  promptNameSchema,
  promptParametersSchema,
  promptRefSchema,
  templateBodySchema,
} from './prompt-templates.js';

export const warningSchema = z.object({
  type: z.string(),
  setting: z.string().optional(),
  message: z.string(),
});

export const renderedPromptSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('chat'),
    messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  }),
]);
export type RenderedPrompt = z.infer<typeof renderedPromptSchema>;

export const tokenBudgetSchema = z.object({
  input_tokens: z.number().int(),
  /** `tokenizer`: counted by the model's own tokenizer; `estimate`: the provider cannot count. */
  method: z.enum(['tokenizer', 'estimate']),
  /** False for estimates and for chat prompts, whose per-message framing is estimated. */
  exact: z.boolean(),
  max_new_tokens: z.number().int(),
  context_length: z.number().int().nullable(),
  /** Tokens left for the answer beyond max_new_tokens; null when the context length is unknown. */
  remaining: z.number().int().nullable(),
});
export type TokenBudget = z.infer<typeof tokenBudgetSchema>;

/** Where a run's prompt comes from: a stored template (`prompt`) or an inline body (`template`). */
const promptSource = {
  prompt: promptRefSchema.optional().describe('name, name@<version> or name@<label>'),
  template: templateBodySchema.optional().describe('an unsaved template (ad-hoc run)'),
};

const runOptions = {
  variables: z.record(z.string(), z.unknown()).optional(),
  model: z.string().min(1).max(200).optional().describe('overrides the template’s model'),
  parameters: promptParametersSchema
    .optional()
    .describe('override the template’s parameters, field by field'),
};

export const renderRequestSchema = z.strictObject({ ...promptSource, ...runOptions });
export type RenderRequest = z.input<typeof renderRequestSchema>;
export const renderByRefRequestSchema = z.strictObject(runOptions);
export type RenderByRefRequest = z.input<typeof renderByRefRequestSchema>;

export const renderResponseSchema = z.object({
  prompt: renderedPromptSchema,
  model: z.string(),
  variables: z.record(z.string(), z.unknown()),
  tokens: tokenBudgetSchema,
  template: z.object({ name: z.string(), version: z.number().int() }).nullable(),
  warnings: z.array(warningSchema),
});
export type RenderResponse = z.infer<typeof renderResponseSchema>;

const runExtras = {
  session_id: z.string().min(1).optional().describe('record the run in this prompt session'),
  stream: z.boolean().optional().describe('answer with Server-Sent Events'),
};

export const runRequestSchema = z.strictObject({ ...promptSource, ...runOptions, ...runExtras });
export type RunRequest = z.input<typeof runRequestSchema>;
export const runByRefRequestSchema = z.strictObject({ ...runOptions, ...runExtras });
export type RunByRefRequest = z.input<typeof runByRefRequestSchema>;

export const usageSchema = z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() });
export const costSchema = z.object({
  currency: z.literal('USD'),
  input: z.number(),
  output: z.number(),
  total: z.number(),
});
export type RunCost = z.infer<typeof costSchema>;

export const runErrorSchema = z.object({ code: z.string(), message: z.string() });

/** One recorded run: the outcome of a run request and an entry of the history. */
export const promptRunSchema = z.object({
  id: z.string(),
  session_id: z.string().nullable(),
  template: z.object({ id: z.string(), name: z.string(), version: z.number().int() }).nullable(),
  /** The body that was run (the version's, or the inline one), so any run can be restored. */
  source: templateBodySchema,
  model: z.string(),
  prompt: renderedPromptSchema,
  variables: z.record(z.string(), z.unknown()),
  parameters: promptParametersSchema,
  status: z.enum(['ok', 'error']),
  output: z.string(),
  /** The parsed output, when the template has an output schema and the output is JSON. */
  json: z.unknown().optional(),
  /** Schema violations left after the retry; empty when the output matches. */
  issues: z.array(issueSchema).optional(),
  /** Model calls made: 2 when the output was retried against its schema. */
  attempts: z.number().int(),
  structured_output: z.enum(['grammar', 'native', 'validated', 'none']),
  finish_reason: z.string().nullable(),
  usage: usageSchema,
  cost: costSchema.nullable(),
  latency_ms: z.number(),
  tokens: tokenBudgetSchema.nullable(),
  warnings: z.array(warningSchema),
  error: runErrorSchema.nullable(),
  created_at: z.string(),
  created_by: z.string().nullable(),
  /**
   * How the run is kept at rest: masked under this guardrail policy, raw values sealed (`sealed`)
   * and shown here (`revealed`, asked with `reveal=true` by a role the policy lets restore). Null
   * when no policy applied.
   */
  redaction: z
    .object({ policy: z.string(), sealed: z.boolean(), revealed: z.boolean() })
    .nullable()
    .optional(),
});
export type PromptRun = z.infer<typeof promptRunSchema>;

/** Events of a streamed run (`stream: true`), one SSE event each, named by `type`. */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    run_id: z.string(),
    model: z.string(),
    tokens: tokenBudgetSchema,
    warnings: z.array(warningSchema),
  }),
  z.object({ type: z.literal('delta'), text: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('retry'), issues: z.array(issueSchema) }),
  z.object({ type: z.literal('result'), run: promptRunSchema }),
  z.object({
    type: z.literal('error'),
    error: runErrorSchema.extend({ status: z.number().int(), run_id: z.string().optional() }),
  }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;

export const runSearchQuerySchema = z.strictObject({
  q: z.string().max(500).optional().describe('words that must all appear in the prompt or the output'),
  model: z.string().optional(),
  template: promptNameSchema.optional(),
  session_id: z.string().optional(),
  status: z.enum(['ok', 'error']).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.string().optional().describe('cursor: the `next` of the previous page'),
  reveal: z
    .enum(['true', 'false'])
    .optional()
    .describe('raw values of masked runs, for roles the guardrail policy lets restore'),
});
export type RunSearchQuery = z.input<typeof runSearchQuerySchema>;

export const runListSchema = z.object({ runs: z.array(promptRunSchema), next: z.string().nullable() });

export const compareVariantSchema = z.strictObject({
  name: z.string().max(100).optional(),
  ...promptSource,
  model: z.string().min(1).max(200).optional(),
  parameters: promptParametersSchema.optional(),
});
export type CompareVariant = z.input<typeof compareVariantSchema>;

export const compareRequestSchema = z.strictObject({
  variants: z.array(compareVariantSchema).min(1).max(10),
  models: z.array(z.string().min(1).max(200)).min(1).max(10).optional().describe('run every variant on each'),
  inputs: z.array(z.record(z.string(), z.unknown())).min(1).max(100).optional().describe('variables per row'),
  references: z
    .array(z.union([z.string(), z.array(z.string()).min(1).max(20)]))
    .min(1)
    .max(100)
    .optional()
    .describe('accepted outputs per row of `inputs` (one, or several), for the quality metrics'),
  dataset: z
    .strictObject({
      name: z.string().min(1).max(200),
      version: z.number().int().min(1).optional().describe('default: the newest'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(100)
        .optional()
        .describe('its first items (default and at most 100)'),
    })
    .optional()
    .describe('rows from a stored evaluation dataset (its inputs and references) instead of `inputs`'),
  metrics: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(10)
    .optional()
    .describe(
      'quality metrics per column from the evaluation metric registry (default with references or a dataset: exact_match, f1, rougeL, chrf)',
    ),
  concurrency: z.number().int().min(1).max(32).optional().describe('model calls at once (default 4)'),
  session_id: z.string().optional(),
  stream: z.boolean().optional().describe('send each cell as it completes (Server-Sent Events)'),
});
export type CompareRequest = z.input<typeof compareRequestSchema>;

export const compareColumnSchema = z.object({
  index: z.number().int(),
  variant: z.string(),
  model: z.string(),
  template: z.object({ name: z.string(), version: z.number().int() }).nullable(),
});

export const compareCellSchema = z.object({
  row: z.number().int(),
  column: z.number().int(),
  run_id: z.string().nullable(),
  status: z.enum(['ok', 'error']),
  output: z.string(),
  json: z.unknown().optional(),
  issues: z.array(issueSchema).optional(),
  finish_reason: z.string().nullable(),
  usage: usageSchema,
  latency_ms: z.number(),
  cost: costSchema.nullable(),
  error: runErrorSchema.nullable(),
  /** The cell's item scores in its column's evaluation run (quality metrics, latency, tokens, cost). */
  scores: z.record(z.string(), z.number()).optional(),
});
export type CompareCell = z.infer<typeof compareCellSchema>;

/** A column's metric as its evaluation run aggregates it: failed cells count at the worst value. */
export const compareMetricSchema = z.object({
  score: z.number(),
  ci: z
    .object({ low: z.number(), high: z.number(), confidence: z.number() })
    .nullable()
    .describe('bootstrap interval of the mean'),
  n: z.number().int().describe('cells scored'),
  higher_is_better: z.boolean(),
});

/** A column against the first one, metric by metric: the evaluation run comparison (B − A). */
export const compareSignificanceSchema = z.object({
  column: z.number().int(),
  baseline: z.number().int(),
  metrics: z.array(
    z.object({
      metric: z.string(),
      method: z.enum(['paired', 'unpaired']),
      n: z.number().int(),
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
});
export type CompareSignificance = z.infer<typeof compareSignificanceSchema>;

export const compareSummarySchema = z.object({
  column: z.number().int(),
  ok: z.number().int(),
  errors: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  latency_ms_p50: z.number(),
  latency_ms_max: z.number(),
  cost: z.number().nullable(),
  /** The column as an evaluation run (`/api/v1/evaluations/{id}`); null without the evaluation module. */
  run_id: z.string().nullable().optional(),
  /** The run's metrics: the quality metrics chosen, then latency, tokens and cost. */
  metrics: z.record(z.string(), compareMetricSchema).optional(),
});

export const compareResultSchema = z.object({
  columns: z.array(compareColumnSchema),
  rows: z.array(
    z.object({
      variables: z.record(z.string(), z.unknown()),
      /** The row's accepted outputs, when the comparison has references. */
      references: z.array(z.string()).optional(),
      cells: z.array(compareCellSchema),
    }),
  ),
  summary: z.array(compareSummarySchema),
  concurrency: z.number().int(),
  wall_ms: z.number(),
  /** The quality metrics the columns were scored with (none without references). */
  metrics: z.array(z.string()).optional(),
  /** The stored dataset the rows came from. */
  dataset: z.object({ name: z.string(), version: z.number().int() }).nullable().optional(),
  /** Each other column against the first, with the significance of each difference. */
  significance: z.array(compareSignificanceSchema).optional(),
});
export type CompareResult = z.infer<typeof compareResultSchema>;

/** Events of a streamed compare: the columns, each cell as it completes, then the whole result. */
export const compareEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), columns: z.array(compareColumnSchema), cells: z.number().int() }),
  z.object({ type: z.literal('cell'), cell: compareCellSchema }),
  z.object({ type: z.literal('result'), result: compareResultSchema }),
  z.object({ type: z.literal('error'), error: runErrorSchema.extend({ status: z.number().int() }) }),
]);
export type CompareEvent = z.infer<typeof compareEventSchema>;
