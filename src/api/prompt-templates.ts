/**
 * @module api/prompt-templates
 * Prompt templates (`/api/v1/prompts`): names, labels and references, variables, generation
 * parameters, the three body modes a version freezes, template metadata, versions, labels and
 * diffs. Re-exported by `api/prompts`.
 */
import { z } from 'zod';
import { FEW_SHOT_DEFAULT_DIVERSITY, FEW_SHOT_POOL_MAX_EXAMPLES } from './few-shot-limits.js';

/** Largest serialised template body accepted (UTF-8 bytes of its JSON, the few-shot pool's examples aside). */
export const TEMPLATE_SIZE_LIMIT_BYTES = 256 * 1024;
export * from './few-shot-limits.js';

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

export const fewShotExampleSchema = z.strictObject({
  input: z.string().min(1).max(20_000).describe('the example input as the model sees it'),
  output: z.string().min(1).max(20_000),
  label: z.string().min(1).max(200).optional().describe('class label, for label balance'),
});
export type FewShotExample = z.infer<typeof fewShotExampleSchema>;

/**
 * A few-shot example pool: at render time the `k` examples nearest the input being answered
 * (hashed character n-grams, by maximal marginal relevance under a per-label quota) are put in the
 * body's examples section — structured: after its own examples; chat: user/assistant turns after
 * the system message; freeform: Input/Output blocks before the text. Deterministic.
 */
export const fewShotPoolSchema = z.strictObject({
  k: z.number().int().min(1).max(50).describe('examples picked per input; at most the pool size'),
  examples: z.array(fewShotExampleSchema).min(1).max(FEW_SHOT_POOL_MAX_EXAMPLES),
  balance_labels: z.boolean().optional().describe('keep labels balanced (true when omitted)'),
  diversity: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(`0: similarity only … 1: diversity only (${FEW_SHOT_DEFAULT_DIVERSITY} when omitted)`),
  source: z.string().max(500).optional().describe('where the pool came from, e.g. "reviews@3 train"'),
});
export type FewShotPool = z.infer<typeof fewShotPoolSchema>;

const bodyCommon = {
  variables: z.array(variableSchema).max(100).optional(),
  model_id: z.string().min(1).max(200).optional().describe('provider:model'),
  parameters: promptParametersSchema.optional(),
  output_schema: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema (2020-12 or draft-07) the output must match'),
  guardrail_policy: z.string().min(1).max(100).optional().describe('name of a guardrail policy'),
  few_shot: fewShotPoolSchema.optional().describe('examples picked per input from a pool at render time'),
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
