/**
 * @module api/models
 * Keel's model API (`/api/v1/models`): the catalog, what is present locally, what each provider
 * serves and whether it is reachable, and model downloads with progress.
 */
import { z } from 'zod';

export const catalogEntrySchema = z.object({
  id: z.string(),
  model_id: z.string().describe('the id to call once present: llamacpp:<id>'),
  display_name: z.string(),
  family: z.string(),
  publisher: z.string(),
  tasks: z.array(z.string()),
  context_length: z.number().int(),
  licence: z.string(),
  commercial_use: z.boolean(),
  parameters: z.number(),
  dimensions: z.number().int().optional(),
  price_per_million: z.object({ input: z.number(), output: z.number() }),
  languages: z.array(z.string()),
  size_bytes: z.number().int().optional(),
  quantisation: z.string(),
  source: z.string().describe('hf:owner/repo/file or a URL'),
  present: z.boolean(),
  notes: z.string().optional(),
  /** The notes in Korean. */
  notes_ko: z.string().optional(),
});
export type CatalogEntryJson = z.infer<typeof catalogEntrySchema>;

export const modelEntrySchema = z.object({
  id: z.string(),
  provider: z.string(),
  model_id: z.string(),
  kinds: z.array(z.enum(['language', 'embedding', 'rerank'])),
  tasks: z.array(z.string()).optional(),
  context_length: z.number().int().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  catalog_id: z.string().optional(),
});
export type ModelEntryJson = z.infer<typeof modelEntrySchema>;

export const providerStatusSchema = z.object({
  name: z.string(),
  type: z.string(),
  reachable: z.boolean(),
  message: z.string().optional(),
  latency_ms: z.number().optional(),
});

export const modelsOverviewSchema = z.object({
  models: z.array(modelEntrySchema),
  catalog: z.array(catalogEntrySchema),
  providers: z.array(providerStatusSchema),
});
export type ModelsOverview = z.infer<typeof modelsOverviewSchema>;

export const startPullRequestSchema = z.strictObject({
  source: z.string().trim().min(1).max(2048).describe('catalog id, hf:owner/repo/file.gguf, or an https URL'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, dot, dash and underscore')
    .optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hexadecimal characters')
    .optional(),
  force: z.boolean().optional(),
});

export const pullJobSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  /** Redacted: credentials and secret query parameters (token, key, signature, X-Amz-*) show as ***. */
  source: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  bytes_done: z.number(),
  bytes_total: z.number().nullable(),
  bytes_per_second: z.number(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  model_id: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type PullJobJson = z.infer<typeof pullJobSchema>;
