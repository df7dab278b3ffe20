/**
 * @module api/watsonx-repository
 * Request and response shapes of the watsonx.ai repository model assets (`/ml/v4/models`) and
 * utility agent tools (`/v1-beta/utility_agent_tools`) as Keel serves them.
 */
import { z } from '@hono/zod-openapi';

export const modelIdParam = z.object({ model_id: z.string().min(1).max(200) });
export const toolIdParam = z.object({ tool_id: z.string().min(1).max(100) });

export const modelListQuery = z.object({
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
  version: z.string().optional(),
  start: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  'tag.value': z.string().optional(),
  search: z.string().optional(),
});

/** `POST /ml/v4/models`: what watsonx sends; the fields Keel has no column for are kept as they are. */
export const createModelRequestSchema = z
  .looseObject({
    name: z.string().trim().min(1).max(200),
    type: z.string().trim().min(1).max(100),
    project_id: z.string().min(1).optional(),
    space_id: z.string().min(1).optional(),
    description: z.string().max(4000).optional(),
    tags: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
    custom: z.record(z.string(), z.unknown()).optional(),
    foundation_model: z.looseObject({ model_id: z.string().max(300).optional() }).optional(),
  })
  .openapi('WatsonxModelCreateRequest');

export const jsonPatchSchema = z
  .array(
    z.strictObject({
      op: z.enum(['add', 'replace', 'remove']),
      path: z.string().min(2).max(300),
      value: z.unknown().optional(),
      from: z.string().optional(),
    }),
  )
  .min(1)
  .max(50)
  .openapi('WatsonxJsonPatch');

export const modelResourceSchema = z
  .object({
    metadata: z.looseObject({
      id: z.string(),
      name: z.string(),
      created_at: z.string(),
      modified_at: z.string(),
      owner: z.string().optional(),
      project_id: z.string().optional(),
      space_id: z.string().optional(),
    }),
    entity: z.looseObject({ type: z.string() }),
  })
  .openapi('WatsonxModelResource');

export const modelListSchema = z
  .object({
    resources: z.array(modelResourceSchema),
    limit: z.number().int(),
    total_count: z.number().int(),
    first: z.object({ href: z.string() }),
    next: z.object({ href: z.string() }).optional(),
  })
  .openapi('WatsonxModelResources');

export const utilityToolSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    agent_description: z.string(),
    input_schema: z.record(z.string(), z.unknown()),
    config_schema: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('WatsonxUtilityAgentTool');

export const utilityToolListSchema = z
  .object({ resources: z.array(utilityToolSchema) })
  .openapi('WatsonxUtilityAgentTools');

export const toolRunByNameSchema = z
  .looseObject({
    input: z.union([z.string().max(100_000), z.record(z.string(), z.unknown())]),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('WatsonxUtilityAgentToolRunByName');

export const toolRunSchema = toolRunByNameSchema
  .extend({ tool_name: z.string().min(1).max(100) })
  .openapi('WatsonxUtilityAgentToolRun');

export const toolRunResponseSchema = z
  .looseObject({ output: z.unknown() })
  .openapi('WatsonxUtilityAgentToolRunResponse');
