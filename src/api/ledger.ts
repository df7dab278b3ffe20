/**
 * @module api/ledger
 * The limits API (`/api/v1/limits`): request and token rates, token and cost budgets per project,
 * API key and deployment, with what each has used and holds reserved in its current window; and
 * the deployment scope of an API key.
 */
import { z } from 'zod';

export const limitMetricSchema = z.enum([
  'requests_per_minute',
  'tokens_per_minute',
  'token_budget',
  'cost_budget',
]);
export const limitScopeTypeSchema = z.enum(['project', 'key', 'deployment']);
export const limitPeriodSchema = z.enum(['minute', 'day', 'month', 'total']);

export const setLimitSchema = z
  .object({
    scope_type: limitScopeTypeSchema,
    scope_id: z.string().min(1).max(200).describe('Project, key or deployment id (the project: its own id)'),
    metric: limitMetricSchema,
    limit: z.number().finite().min(0).max(1e15).describe('Requests, tokens, or USD for cost budgets'),
    period: limitPeriodSchema
      .exclude(['minute'])
      .optional()
      .describe("Budgets only: 'day', 'month' or 'total' (default); rates are per minute"),
  })
  .strict();
export type SetLimitBody = z.infer<typeof setLimitSchema>;

export const limitJsonSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  scope_type: limitScopeTypeSchema,
  scope_id: z.string(),
  metric: limitMetricSchema,
  limit: z.number(),
  period: limitPeriodSchema,
  created_at: z.string(),
  updated_at: z.string(),
});
export type LimitJson = z.infer<typeof limitJsonSchema>;

export const limitUsageJsonSchema = limitJsonSchema.extend({
  window_start: z.string().nullable().describe('Start of the current window (null: a lifetime budget)'),
  used: z.number().describe('Settled usage (written in batches: may lag by about 100 ms)'),
  reserved: z.number().describe("Held by calls in flight and by replicas' unused leases"),
  remaining: z.number(),
});
export type LimitUsageJson = z.infer<typeof limitUsageJsonSchema>;

export const limitListSchema = z.object({ limits: z.array(limitUsageJsonSchema) });

export const listLimitsQuerySchema = z.object({
  scope_type: limitScopeTypeSchema.optional(),
  scope_id: z.string().min(1).max(200).optional(),
});

export const keyScopeSchema = z
  .object({
    deployments: z
      .array(z.string().min(1).max(200))
      .max(100)
      .nullable()
      .describe('Deployment ids the key may call; null lifts the restriction'),
  })
  .strict();
export type KeyScopeBody = z.infer<typeof keyScopeSchema>;
