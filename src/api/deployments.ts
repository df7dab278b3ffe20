/**
 * @module api/deployments
 * Request and response schemas of Keel's deployment API: `/api/v1/spaces` and
 * `/api/v1/deployments` (versions, rollback, traffic split, invoke). The watsonx-shaped routes
 * (`/v2/spaces`, `/ml/v4/deployments`, `/ml/v1/deployments/{id_or_name}/…`) keep their own
 * shapes in the route files.
 */
import { z } from '@hono/zod-openapi';
import { promptParametersSchema, promptRunSchema } from './prompts.js';
import { askResponseSchema } from './rag.js';

export const spaceStageSchema = z.enum(['development', 'staging', 'production', 'other']);

const tagsSchema = z.array(z.string().trim().min(1).max(100)).max(50);

export const spaceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^/\s][^/]*$/, 'no slashes, not starting with a space');

export const createSpaceRequestSchema = z.strictObject({
  name: spaceNameSchema,
  description: z.string().max(2000).optional(),
  stage: spaceStageSchema
    .optional()
    .describe('development when omitted; production spaces serve only approved assets'),
  tags: tagsSchema.optional(),
});

export const updateSpaceRequestSchema = createSpaceRequestSchema.partial();

export const spaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  stage: spaceStageSchema,
  tags: z.array(z.string()),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SpaceJson = z.infer<typeof spaceSchema>;

export const servingNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and -');

export const assetRequestSchema = z.strictObject({
  type: z.enum(['prompt_template', 'rag_collection']),
  ref: z
    .string()
    .min(1)
    .max(300)
    .describe('a template reference (name, name@3, name@label) or a collection id or name'),
});

const versionFields = {
  model: z
    .string()
    .min(1)
    .max(200)
    .nullable()
    .optional()
    .describe("provider:model; the template's own when omitted"),
  parameters: promptParametersSchema.optional(),
  guardrail_policy: z.string().min(1).max(100).nullable().optional(),
};

export const createDeploymentRequestSchema = z.strictObject({
  space: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('space id or name; the project’s `default` space when omitted'),
  name: z.string().trim().min(1).max(200),
  serving_name: servingNameSchema.optional().describe('the name inference addresses it by'),
  description: z.string().max(2000).optional(),
  tags: tagsSchema.optional(),
  asset: assetRequestSchema,
  ...versionFields,
});

export const updateDeploymentRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  serving_name: servingNameSchema.nullable().optional(),
  description: z.string().max(2000).optional(),
  tags: tagsSchema.optional(),
  asset: assetRequestSchema
    .optional()
    .describe('a new asset version: adds a deployment version that serves at once'),
  ...versionFields,
});

export const trafficSplitSchema = z.strictObject({
  versions: z
    .array(z.strictObject({ version: z.number().int().min(1), weight: z.number().min(0).max(1_000_000) }))
    .length(2),
  mode: z
    .enum(['request_id', 'random'])
    .optional()
    .describe('request_id (default): the same X-Request-Id always lands on the same version'),
});

export const rollbackRequestSchema = z.strictObject({
  version: z.number().int().min(1).optional().describe('default: the version before the current one'),
});

export const deploymentAssetSchema = z.object({
  type: z.enum(['prompt_template', 'rag_collection']),
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
});

export const deploymentVersionSchema = z.object({
  version: z.number().int(),
  asset: deploymentAssetSchema,
  model: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()),
  guardrail_policy: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});

export const deploymentSchema = z.object({
  id: z.string(),
  name: z.string(),
  serving_name: z.string().nullable(),
  description: z.string(),
  tags: z.array(z.string()),
  space: z.object({ id: z.string(), name: z.string(), stage: spaceStageSchema }),
  current_version: z.number().int(),
  split: trafficSplitSchema.nullable(),
  versions: z.array(deploymentVersionSchema),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type DeploymentJson = z.infer<typeof deploymentSchema>;

export const listDeploymentsQuerySchema = z.object({
  space: z.string().min(1).max(100).optional(),
});

/** Attributes of the caller that the request log keeps with a served call (a protected attribute). */
export const callAttributesSchema = z
  .record(z.string().min(1).max(100), z.string().max(200))
  .refine((value) => Object.keys(value).length <= 20, 'at most 20 attributes')
  .describe(
    'attributes of the caller that fairness monitors group by (a protected attribute, e.g. {"group": "b"})',
  );

export const invokeRequestSchema = z.strictObject({
  variables: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('the template’s variables (a RAG deployment: question)'),
  parameters: promptParametersSchema.optional(),
  stream: z.boolean().optional().describe('Server-Sent Events, as Prompt Lab streams runs'),
  attributes: callAttributesSchema.optional(),
});

export const invokeResponseSchema = z.object({
  deployment: z.object({ id: z.string(), name: z.string() }),
  version: z.number().int().describe('the deployment version that served'),
  asset: deploymentAssetSchema,
  output: z.string(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
  run: promptRunSchema.optional(),
  answer: askResponseSchema.optional(),
});
export type InvokeResponse = z.infer<typeof invokeResponseSchema>;

// watsonx.ai shapes (`/v2/spaces`, `/ml/v4/deployments`, `/ml/v1/deployments/{id_or_name}/…`) ------------

export const watsonxSpaceStageSchema = z.looseObject({
  production: z.boolean().optional(),
  name: z.string().max(100).optional().describe('development, staging, production or other'),
});

export const watsonxCreateSpaceSchema = z.looseObject({
  name: spaceNameSchema,
  description: z.string().max(2000).optional(),
  stage: watsonxSpaceStageSchema.optional(),
  tags: tagsSchema.optional(),
});

export const jsonPatchSchema = z
  .array(
    z.looseObject({
      op: z.enum(['add', 'replace', 'remove']),
      path: z.string().min(1).max(200),
      value: z.unknown().optional(),
    }),
  )
  .min(1)
  .max(50);
export type JsonPatch = z.infer<typeof jsonPatchSchema>;

export const watsonxSpaceSchema = z.object({
  metadata: z.looseObject({
    id: z.string(),
    url: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
  entity: z.looseObject({
    name: z.string(),
    description: z.string(),
    stage: z.object({ production: z.boolean(), name: z.string() }),
    status: z.object({ state: z.string() }),
    tags: z.array(z.string()),
  }),
});

export const watsonxSpaceListSchema = z.object({
  total_count: z.number().int(),
  limit: z.number().int(),
  first: z.object({ href: z.string() }),
  resources: z.array(watsonxSpaceSchema),
});

export const watsonxCreateDeploymentSchema = z.looseObject({
  name: z.string().trim().min(1).max(200),
  online: z.looseObject({
    parameters: z.looseObject({ serving_name: servingNameSchema.optional() }).optional(),
  }),
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
  description: z.string().max(2000).optional(),
  tags: tagsSchema.optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
  prompt_template: z.looseObject({ id: z.string().min(1).max(300) }).optional(),
  asset: z.looseObject({ id: z.string().min(1).max(300), rev: z.string().max(20).optional() }).optional(),
  base_model_id: z.string().min(1).max(200).optional(),
});

export const watsonxDeploymentSchema = z.object({
  metadata: z.looseObject({
    id: z.string(),
    name: z.string(),
    created_at: z.string(),
    modified_at: z.string(),
    space_id: z.string(),
    rev: z.string(),
  }),
  entity: z.looseObject({
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    asset: z.object({ id: z.string(), rev: z.string() }),
    online: z.object({ parameters: z.looseObject({ serving_name: z.string().optional() }) }),
    space_id: z.string(),
    deployed_asset_type: z.string(),
    status: z.looseObject({ state: z.string() }),
  }),
});

export const watsonxDeploymentListSchema = z.object({
  total_count: z.number().int(),
  limit: z.number().int(),
  first: z.object({ href: z.string() }),
  resources: z.array(watsonxDeploymentSchema),
});
