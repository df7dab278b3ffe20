/**
 * @module api/prompts
 * Prompt Lab's API shapes (`/api/v1/prompts`, `/api/v1/prompt-runs`, `/api/v1/prompt-sessions`,
 * `/api/v1/compare`, `/api/v1/prompt-samples`, `/api/v1/prompt-files`), shared by the server, the
 * SDK, the CLI and the console. Requests are strict (a misspelt field is an error); generation
 * parameters are watsonx's snake_case ones with watsonx's ranges.
 *
 * A template *body* is what a version freezes: the prompt in one of three modes, its variables, the
 * model it binds, generation parameters, an optional JSON schema for the output and an optional
 * guardrail policy reference. Template metadata (title, description, task) is not versioned.
 */
import { z } from 'zod';
import { instantSchema } from './instant.js';
import { issueSchema } from './platform.js';

/** Largest serialised template body accepted (UTF-8 bytes of its JSON). */
export const TEMPLATE_SIZE_LIMIT_BYTES = 256 * 1024;

/** Template names: lowercase slugs, safe in URLs, file names and `name@label` references. */
export const promptNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lowercase letters, digits, ".", "_" or "-" (at most 100)');

/** Labels name versions (`production`, `staging`, …); `latest` is reserved, digits are versions. */
export const labelNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,49}$/, 'a lowercase letter, then letters, digits, "_" or "-" (at most 50)')
  .refine((value) => value !== 'latest', '"latest" always means the newest version and cannot be set');

/** `name`, `name@3` or `name@production`. */
export const promptRefSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}(@[a-z0-9][a-z0-9_-]{0,49})?$/, 'name, name@<version> or name@<label>');

/** `{{variable}}` names: letters (Hangul included), digits and `_`, not starting with a digit. */
export const variableNamePattern = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export const variableTypeSchema = z.enum(['string', 'number', 'integer', 'boolean', 'json']);
export type VariableType = z.infer<typeof variableTypeSchema>;

export const variableSchema = z.strictObject({
  name: z
    .string()
    .max(64)
    .regex(variableNamePattern, 'letters, digits or "_", not starting with a digit')
    // The document states the pattern without the regex's `u` flag (JSON Schema patterns are Unicode).
    .meta({ pattern: variableNamePattern.source }),
  type: variableTypeSchema.optional().describe('string when omitted'),
  description: z.string().max(1000).optional(),
  default: z.unknown().optional().describe('used when a run gives no value; must match the type'),
  required: z.boolean().optional().describe('true unless a default is given'),
});
export type PromptVariable = z.infer<typeof variableSchema>;

/** watsonx generation parameters, with watsonx's ranges. */
export const promptParametersSchema = z
  .strictObject({
    decoding_method: z.enum(['greedy', 'sample']).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_k: z.number().int().min(1).max(100).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_new_tokens: z.number().int().min(1).max(1_000_000).optional(),
    min_new_tokens: z.number().int().min(0).max(1_000_000).optional(),
    random_seed: z.number().int().min(1).max(4_294_967_295).optional(),
    stop_sequences: z.array(z.string().min(1).max(200)).max(6).optional(),
    include_stop_sequence: z.boolean().optional(),
    repetition_penalty: z.number().min(1).max(2).optional(),
    time_limit: z.number().int().min(1).max(3_600_000).optional().describe('milliseconds'),
    truncate_input_tokens: z.number().int().min(0).optional(),
  })
  .refine(
    (p) =>
      p.min_new_tokens === undefined ||
      p.max_new_tokens === undefined ||
      p.min_new_tokens <= p.max_new_tokens,
    { message: 'min_new_tokens must not exceed max_new_tokens', path: ['min_new_tokens'] },
  );
export type PromptParameters = z.infer<typeof promptParametersSchema>;

const bodyCommon = {
  variables: z.array(variableSchema).max(100).optional(),
  model_id: z.string().min(1).max(200).optional().describe('provider:model'),
  parameters: promptParametersSchema.optional(),
  output_schema: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema (2020-12 or draft-07) the output must match'),
  guardrail_policy: z.string().min(1).max(100).optional().describe('name of a guardrail policy'),
};

export const freeformBodySchema = z.strictObject({
  mode: z.literal('freeform'),
  text: z.string(),
  ...bodyCommon,
});

export const exampleSchema = z.strictObject({ input: z.string(), output: z.string() });

/** watsonx's structured mode: instruction, examples, then the test input under the prefixes. */
export const structuredBodySchema = z.strictObject({
  mode: z.literal('structured'),
  instruction: z.string().optional(),
  examples: z.array(exampleSchema).max(200).optional(),
  input_prefix: z.string().max(200).optional().describe('"Input:" when omitted'),
  output_prefix: z.string().max(200).optional().describe('"Output:" when omitted'),
  test_input: z.string().optional().describe('the input to answer, usually holding variables'),
  ...bodyCommon,
});

export const chatTemplateMessageSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});

export const chatBodySchema = z.strictObject({
  mode: z.literal('chat'),
  system: z.string().optional(),
  messages: z.array(chatTemplateMessageSchema).min(1).max(200),
  ...bodyCommon,
});

export const templateBodySchema = z.discriminatedUnion('mode', [
  freeformBodySchema,
  structuredBodySchema,
  chatBodySchema,
]);
export type TemplateBody = z.infer<typeof templateBodySchema>;
export type TemplateMode = TemplateBody['mode'];

export const promptTaskSchema = z.enum([
  'generate',
  'extract',
  'summarize',
  'classify',
  'qa',
  'rag',
  'chat',
  'code',
]);
export type PromptTask = z.infer<typeof promptTaskSchema>;

const metadata = {
  title: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  task: promptTaskSchema.optional(),
};

export const createPromptRequestSchema = z.strictObject({
  name: promptNameSchema,
  ...metadata,
  template: templateBodySchema,
  message: z.string().max(2000).optional(),
});
export type CreatePromptRequest = z.input<typeof createPromptRequestSchema>;

export const updatePromptRequestSchema = z.strictObject(metadata);
export type UpdatePromptRequest = z.input<typeof updatePromptRequestSchema>;

export const saveVersionRequestSchema = z.strictObject({
  template: templateBodySchema,
  message: z.string().max(2000).optional(),
  base_version: z.number().int().min(1).describe('the version this edit started from; a stale one is a 409'),
});
export type SaveVersionRequest = z.input<typeof saveVersionRequestSchema>;

export const setLabelRequestSchema = z.strictObject({
  version: z.number().int().min(1),
  expected_version: z
    .number()
    .int()
    .min(1)
    .nullable()
    .optional()
    .describe('move only if the label now points here (null: only if it does not exist)'),
});
export type SetLabelRequest = z.input<typeof setLabelRequestSchema>;

export const versionInfoSchema = z.object({
  version: z.number().int(),
  message: z.string(),
  created_at: z.string(),
  created_by: z.string().nullable(),
  size_bytes: z.number().int(),
  labels: z.array(z.string()),
});
export type PromptVersionInfo = z.infer<typeof versionInfoSchema>;

export const promptSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  task: promptTaskSchema.nullable(),
  mode: z.enum(['freeform', 'structured', 'chat']),
  model_id: z.string().nullable(),
  latest_version: z.number().int(),
  labels: z.record(z.string(), z.number().int()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PromptSummary = z.infer<typeof promptSummarySchema>;

/** A template resolved at one version. */
export const promptTemplateSchema = promptSummarySchema.extend({
  version: versionInfoSchema,
  /** Which reference was resolved, and through which label. */
  resolved: z.object({ ref: z.string(), version: z.number().int(), label: z.string().nullable() }),
  template: templateBodySchema,
  /** Variables the template uses, declared or not, with their effective type. */
  variables: z.array(
    z.object({
      name: z.string(),
      type: variableTypeSchema,
      required: z.boolean(),
      description: z.string().optional(),
      default: z.unknown().optional(),
    }),
  ),
  warnings: z.array(z.object({ type: z.string(), setting: z.string().optional(), message: z.string() })),
});
export type PromptTemplate = z.infer<typeof promptTemplateSchema>;

export const promptListQuerySchema = z.strictObject({
  q: z.string().max(200).optional(),
  task: promptTaskSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const labelMoveSchema = z.object({
  label: z.string(),
  version: z.number().int(),
  previous_version: z.number().int().nullable(),
});

const lineSchema = z.object({ op: z.enum(['equal', 'add', 'remove']), text: z.string() });
export const diffChangeSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  kind: z.enum(['added', 'removed', 'changed']),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
  /** Line-level diff, for text that changed. */
  lines: z.array(lineSchema).optional(),
});
export const promptDiffSchema = z.object({
  name: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(diffChangeSchema),
});
export type PromptDiff = z.infer<typeof promptDiffSchema>;

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

export const draftSchema = z.strictObject({
  template: templateBodySchema,
  variables: z.record(z.string(), z.unknown()).optional(),
  /** Where the draft came from. */
  origin: z
    .strictObject({
      template: promptNameSchema.optional(),
      version: z.number().int().optional(),
      run_id: z.string().optional(),
    })
    .optional(),
});
export type PromptDraft = z.infer<typeof draftSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  draft: draftSchema.nullable(),
  revision: z.number().int(),
  locked_by: z.string().nullable(),
  locked_at: z.string().nullable(),
  /** True when the caller holds the lock. */
  locked_by_me: z.boolean(),
  run_count: z.number().int(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PromptSession = z.infer<typeof sessionSchema>;

export const createSessionRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  draft: draftSchema.optional(),
});
export type CreateSessionRequest = z.input<typeof createSessionRequestSchema>;

export const saveSessionRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  draft: draftSchema.nullable().optional(),
  base_revision: z.number().int().min(1).optional().describe('a stale revision is a 409'),
});
export type SaveSessionRequest = z.input<typeof saveSessionRequestSchema>;

export const restoreRunRequestSchema = z.strictObject({
  session_id: z.string().optional().describe('put the draft into this session instead of a new one'),
  name: z.string().trim().min(1).max(200).optional().describe('name of the new session'),
});
export type RestoreRunRequest = z.input<typeof restoreRunRequestSchema>;

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
});
export type CompareCell = z.infer<typeof compareCellSchema>;

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
});

export const compareResultSchema = z.object({
  columns: z.array(compareColumnSchema),
  rows: z.array(
    z.object({ variables: z.record(z.string(), z.unknown()), cells: z.array(compareCellSchema) }),
  ),
  summary: z.array(compareSummarySchema),
  concurrency: z.number().int(),
  wall_ms: z.number(),
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

export const sampleLanguageSchema = z.enum(['ko', 'en']);

export const promptSampleSchema = z.object({
  id: z.string().describe('also the template name it loads as'),
  task: promptTaskSchema,
  language: sampleLanguageSchema,
  title: z.string(),
  description: z.string(),
  use_case: z.string(),
  template: templateBodySchema,
  /** Values that make a good first run. */
  example_variables: z.record(z.string(), z.unknown()),
});
export type PromptSample = z.infer<typeof promptSampleSchema>;

export const sampleListQuerySchema = z.strictObject({
  task: promptTaskSchema.optional(),
  language: sampleLanguageSchema.optional(),
});

export const loadSamplesRequestSchema = z.strictObject({
  ids: z
    .array(z.string())
    .max(100)
    .optional()
    .describe('all samples (after task/language filters) when omitted'),
  task: promptTaskSchema.optional(),
  language: sampleLanguageSchema.optional(),
  model: z.string().min(1).max(200).optional().describe('bind this model to every loaded template'),
  prefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,40}$/)
    .optional()
    .describe('prepended to each name'),
});
export type LoadSamplesRequest = z.input<typeof loadSamplesRequestSchema>;

export const loadSamplesResponseSchema = z.object({
  created: z.array(promptSummarySchema),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});

export const promptFileSchema = z.strictObject({
  path: z.string().min(1).max(500).describe('file name, for messages (e.g. prompts/triage.prompt.yaml)'),
  content: z.string().describe('YAML text'),
});
export type PromptFile = z.infer<typeof promptFileSchema>;

export const exportQuerySchema = z.strictObject({
  names: z.string().optional().describe('comma-separated template names; all when omitted'),
});
export const exportResponseSchema = z.object({ files: z.array(promptFileSchema) });

export const importRequestSchema = z.strictObject({
  files: z.array(promptFileSchema).min(1).max(500),
  dry_run: z.boolean().optional().describe('check and report without changing anything'),
});
export type ImportRequest = z.input<typeof importRequestSchema>;

export const importResultSchema = z.object({
  path: z.string(),
  name: z.string(),
  created: z.boolean(),
  versions_added: z.array(z.number().int()),
  labels_moved: z.array(z.string()),
  unchanged: z.boolean(),
});
export const importResponseSchema = z.object({
  dry_run: z.boolean(),
  results: z.array(importResultSchema),
});
export type ImportResponse = z.infer<typeof importResponseSchema>;
