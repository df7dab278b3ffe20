/**
 * @module api/governance
 * The governance API: use cases with versioned approaches (`/api/v1/use-cases`), tracked assets
 * and their lifecycle transitions (`/api/v1/assets`), approval decisions (`/api/v1/approvals`)
 * and the gate check.
 */
import { z } from 'zod';

export const stageSchema = z.enum(['idea', 'develop', 'validate', 'approve', 'deploy', 'monitor', 'retire']);
export const phaseSchema = z.enum(['develop', 'validate', 'operate']);
export const riskTierSchema = z.enum(['prohibited', 'high', 'limited', 'minimal']);
export const assetKindSchema = z.enum([
  'model',
  'prompt_template',
  'rag_collection',
  'evaluation_run',
  'deployment',
  'guardrail_policy',
  'dataset',
  'external_model',
]);
export type AssetKind = z.infer<typeof assetKindSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);
const tagsSchema = z.array(z.string().trim().min(1).max(60)).max(30);

/** `{ metric: { min?, max? } }`: what an evaluation run must reach before validation passes. */
export const thresholdsSchema = z.record(
  z.string().min(1).max(100),
  z
    .strictObject({ min: z.number().finite().optional(), max: z.number().finite().optional() })
    .refine((bound) => bound.min !== undefined || bound.max !== undefined, 'give min, max or both'),
);

export const createUseCaseSchema = z.strictObject({
  name: text(200),
  purpose: z.string().max(4000).default(''),
  business_owner: z.string().trim().max(200).optional(),
  tags: tagsSchema.default([]),
  /** The first approach (version 1); more are added with POST /use-cases/{id}/approaches. */
  approach: z
    .strictObject({
      name: text(200),
      description: z.string().max(4000).default(''),
      thresholds: thresholdsSchema.default({}),
    })
    .optional(),
});

export const updateUseCaseSchema = z.strictObject({
  purpose: z.string().max(4000).optional(),
  business_owner: z.string().trim().max(200).nullable().optional(),
  tags: tagsSchema.optional(),
  status: z.enum(['active', 'retired']).optional(),
});

export const createApproachSchema = z.strictObject({
  name: text(200),
  description: z.string().max(4000).default(''),
  thresholds: thresholdsSchema.default({}),
});

export const approachSchema = z.object({
  id: z.string(),
  use_case_id: z.string(),
  version: z.number().int(),
  name: z.string(),
  description: z.string(),
  thresholds: z.record(z.string(), z.object({ min: z.number().optional(), max: z.number().optional() })),
  created_by: z.string().nullable(),
  created_at: z.string(),
});
export type ApproachJson = z.infer<typeof approachSchema>;

export const useCaseSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  purpose: z.string(),
  business_owner: z.string().nullable(),
  status: z.enum(['active', 'blocked', 'retired']),
  risk_tier: riskTierSchema.nullable().describe('from the latest completed risk assessment'),
  korea_high_impact: z.boolean().nullable(),
  tags: z.array(z.string()),
  approaches: z.array(approachSchema),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type UseCaseJson = z.infer<typeof useCaseSchema>;

export const listUseCasesQuerySchema = z.strictObject({
  status: z.enum(['active', 'blocked', 'retired']).optional(),
  tag: z.string().min(1).max(60).optional(),
  risk_tier: riskTierSchema.optional(),
  q: z.string().min(1).max(200).optional(),
});

export const externalModelSchema = z.strictObject({
  endpoint_url: z.url({ protocol: /^https?$/ }).max(2000),
  platform: z.enum(['sagemaker', 'azure_ml', 'vertex', 'http']),
  owner: z.string().trim().max(200).optional(),
  documentation: z.string().max(20000).optional(),
  metadata: z
    .record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()]))
    .optional(),
});

export const evaluationResultsSchema = z.strictObject({
  metrics: z.record(z.string().min(1).max(100), z.number().finite()),
  evaluated_at: z.string().max(40).optional(),
  notes: z.string().max(4000).optional(),
});

export const trackAssetSchema = z.strictObject({
  use_case_id: text(100),
  /** The approach version (default: the use case's latest). */
  approach_version: z.number().int().min(1).optional(),
  kind: assetKindSchema,
  /** The asset in its own module: a template name, a collection id, a run id, a policy name, a URL … */
  ref: text(500),
  /** The pinned version (a template version, a collection configuration version). */
  version: z.number().int().min(1).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  external: externalModelSchema.optional(),
  /** Evaluation results uploaded as JSON (an `evaluation_run` asset evaluated elsewhere). */
  results: evaluationResultsSchema.optional(),
  metadata: z
    .record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()]))
    .optional(),
});

export const assetSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  use_case_id: z.string(),
  approach_id: z.string(),
  approach_version: z.number().int(),
  kind: assetKindSchema,
  ref: z.string(),
  version: z.number().int().nullable(),
  name: z.string(),
  stage: stageSchema,
  phase: phaseSchema,
  next_stages: z.array(stageSchema),
  row_version: z.number().int(),
  revision: z.number().int(),
  approved: z.boolean().describe('the current revision holds a valid approval'),
  metadata: z.record(z.string(), z.unknown()),
  results: z.unknown().nullable(),
  validation_report: z.unknown().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type AssetJson = z.infer<typeof assetSchema>;

export const listAssetsQuerySchema = z.strictObject({
  use_case_id: z.string().min(1).max(100).optional(),
  kind: assetKindSchema.optional(),
  stage: stageSchema.optional(),
});

export const transitionSchema = z.strictObject({
  to: stageSchema,
  /** The asset's `row_version` as the caller saw it: a move made meanwhile answers 409. */
  expected_row_version: z.number().int().min(1).optional(),
  /** Production deployment (the default for `deploy`): needs a valid approval. */
  production: z.boolean().default(true),
  note: z.string().max(2000).optional(),
});

export const validationReportSchema = z.strictObject({
  summary: text(4000),
  findings: z.array(z.string().max(2000)).max(100).default([]),
  passed: z.boolean(),
});

export const historyEntrySchema = z.object({
  event: z.string(),
  from_stage: z.string().nullable(),
  to_stage: z.string().nullable(),
  actor: z.string().nullable(),
  actor_role: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const createApprovalSchema = z.strictObject({
  asset_id: text(100),
  decision: z.enum(['go', 'no_go']),
  reasons: text(4000),
  /** The decision this one reverses (decisions are never edited). */
  supersedes: z.string().min(1).max(100).optional(),
});

export const approvalSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  use_case_id: z.string(),
  asset_id: z.string(),
  asset_revision: z.number().int(),
  decision: z.enum(['go', 'no_go']),
  reasons: z.string(),
  approver: z.string(),
  approver_role: z.string(),
  risk_tier: z.string().nullable(),
  supersedes: z.string().nullable(),
  created_at: z.string(),
});
export type ApprovalJson = z.infer<typeof approvalSchema>;

export const listApprovalsQuerySchema = z.strictObject({
  asset_id: z.string().min(1).max(100).optional(),
  use_case_id: z.string().min(1).max(100).optional(),
  /** `pending`: assets waiting in the approve stage (the approval queue). */
  view: z.enum(['decisions', 'pending']).default('decisions'),
});

export const gateResultSchema = z.object({
  tracked: z.boolean(),
  allowed: z.boolean(),
  asset_id: z.string().nullable(),
  use_case_id: z.string().nullable(),
  stage: stageSchema.nullable(),
  /** What is missing, when not allowed (coded). */
  missing: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type GateResultJson = z.infer<typeof gateResultSchema>;
