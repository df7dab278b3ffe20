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
 *
 * Templates are in `prompt-templates.ts`, runs and comparisons in `prompt-runs.ts`; this file holds
 * drafts, sessions, samples and template files, and re-exports the other two.
 */
import { z } from 'zod';
import {
  promptNameSchema,
  promptSummarySchema,
  promptTaskSchema,
  templateBodySchema,
} from './prompt-templates.js';

export * from './prompt-runs.js';
export * from './prompt-templates.js';

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
