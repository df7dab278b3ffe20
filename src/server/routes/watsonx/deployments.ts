/**
 * @module server/routes/watsonx/deployments
 * `POST/GET /ml/v4/deployments` and `GET/PATCH/DELETE /ml/v4/deployments/{deployment_id}` in
 * watsonx's shape, so the SDK's createDeployment, listDeployments, getDeployment,
 * updateDeployment and deleteDeployment work. The asset is a Keel template (`asset.id` or
 * `prompt_template.id`: its name, `asset.rev`: the version) or, with `custom.asset_type:
 * "rag_collection"`, a collection. `base_model_id` is the model; `custom.parameters` and
 * `custom.guardrail_policy` pin generation parameters and a policy.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { z as zod } from 'zod';
import {
  type JsonPatch,
  jsonPatchSchema,
  watsonxCreateDeploymentSchema,
  watsonxDeploymentListSchema,
  watsonxDeploymentSchema,
} from '../../../api/deployments.js';
import { KeelError } from '../../../core/errors.js';
import {
  type AssetRequest,
  currentVersion,
  type Deployment,
  promptParametersOf,
  type Space,
} from '../../../deployments/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json } from '../../respond.js';
import { watsonxCaller, watsonxDeploymentErrors } from './spaces.js';

const tags = ['watsonx.ai-compatible'];
const contextQuery = z.looseObject({
  space_id: z.string().optional(),
  project_id: z.string().optional(),
  version: z.string().optional(),
});
const idParam = z.object({ deployment_id: z.string().min(1).max(200) });
const one = {
  200: {
    description: 'The deployment',
    content: { 'application/json': { schema: watsonxDeploymentSchema } },
  },
  ...watsonxDeploymentErrors,
};

const routes = {
  create: createRoute({
    method: 'post',
    path: '/ml/v4/deployments',
    tags,
    summary: 'Create a deployment',
    request: {
      query: contextQuery,
      body: { required: true, content: { 'application/json': { schema: watsonxCreateDeploymentSchema } } },
    },
    responses: { ...one, 201: one[200] },
  }),
  list: createRoute({
    method: 'get',
    path: '/ml/v4/deployments',
    tags,
    summary: 'Retrieve the deployments',
    request: {
      query: contextQuery.extend({ serving_name: z.string().optional(), name: z.string().optional() }),
    },
    responses: {
      200: {
        description: 'Deployments',
        content: { 'application/json': { schema: watsonxDeploymentListSchema } },
      },
      ...watsonxDeploymentErrors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/ml/v4/deployments/{deployment_id}',
    tags,
    summary: 'Retrieve the deployment details',
    request: { params: idParam, query: contextQuery },
    responses: one,
  }),
  update: createRoute({
    method: 'patch',
    path: '/ml/v4/deployments/{deployment_id}',
    tags,
    summary:
      'Update the deployment metadata (JSON patch: /name, /description, /tags, /online/parameters/serving_name, /asset, /prompt_template, /base_model_id, /custom)',
    request: {
      params: idParam,
      query: contextQuery,
      body: { required: true, content: { 'application/json': { schema: jsonPatchSchema } } },
    },
    responses: one,
  }),
  delete: createRoute({
    method: 'delete',
    path: '/ml/v4/deployments/{deployment_id}',
    tags,
    summary: 'Delete the deployment',
    request: { params: idParam, query: contextQuery },
    responses: { 204: { description: 'Deleted' }, ...watsonxDeploymentErrors },
  }),
};

export function watsonxDeploymentJson(deployment: Deployment, space: Pick<Space, 'id'>) {
  const version = currentVersion(deployment);
  const asset = version.asset;
  const createdAt = deployment.createdAt.toISOString();
  return {
    metadata: {
      id: deployment.id,
      name: deployment.name,
      description: deployment.description,
      tags: deployment.tags,
      created_at: createdAt,
      modified_at: deployment.updatedAt.toISOString(),
      space_id: space.id,
      project_id: deployment.projectId,
      rev: String(deployment.currentVersion),
    },
    entity: {
      name: deployment.name,
      description: deployment.description,
      tags: deployment.tags,
      asset: { id: asset.type === 'prompt_template' ? asset.name : asset.id, rev: String(asset.version) },
      ...(asset.type === 'prompt_template' ? { prompt_template: { id: asset.name } } : {}),
      ...(version.model ? { base_model_id: version.model } : {}),
      online: { parameters: deployment.servingName ? { serving_name: deployment.servingName } : {} },
      space_id: space.id,
      deployed_asset_type: asset.type === 'prompt_template' ? 'foundation_model' : 'rag_collection',
      custom: {
        asset_type: asset.type,
        parameters: version.parameters,
        guardrail_policy: version.guardrailPolicy,
        current_version: deployment.currentVersion,
        split: deployment.split,
      },
      status: {
        state: 'ready',
        online_url: { url: `/ml/v1/deployments/${deployment.id}/text/generation` },
        inference: [
          { url: `/ml/v1/deployments/${deployment.id}/text/generation` },
          { url: `/ml/v1/deployments/${deployment.id}/text/generation_stream`, sse: true },
          { url: `/ml/v1/deployments/${deployment.id}/text/chat` },
          { url: `/ml/v1/deployments/${deployment.id}/text/chat_stream`, sse: true },
        ],
      },
    },
  };
}

type CreateBody = zod.infer<typeof watsonxCreateDeploymentSchema>;

function customOf(custom: Record<string, unknown> | undefined) {
  const parameters = custom?.parameters;
  const policy = custom?.guardrail_policy;
  return {
    assetType:
      custom?.asset_type === 'rag_collection' ? ('rag_collection' as const) : ('prompt_template' as const),
    parameters:
      parameters && typeof parameters === 'object'
        ? promptParametersOf(parameters as Record<string, unknown>)
        : undefined,
    guardrailPolicy: typeof policy === 'string' && policy ? policy : undefined,
  };
}

function assetOf(
  asset: { id: string; rev?: string | undefined } | undefined,
  promptTemplate: { id: string } | undefined,
  type: AssetRequest['type'],
): AssetRequest | undefined {
  const id = asset?.id ?? promptTemplate?.id;
  if (!id) return undefined;
  if (type === 'rag_collection') return { type, ref: id };
  const rev = asset?.rev;
  if (rev !== undefined && !/^\d+$/.test(rev)) {
    throw new KeelError('invalid_request', `asset.rev "${rev}" is not a template version number.`, {
      issues: [{ code: 'invalid_rev', path: ['asset', 'rev'], message: 'a version number' }],
    });
  }
  return { type, ref: rev && !id.includes('@') ? `${id}@${rev}` : id };
}

function createInput(body: CreateBody) {
  const custom = customOf(body.custom);
  const asset = assetOf(body.asset, body.prompt_template, custom.assetType);
  if (!asset) {
    throw new KeelError('invalid_request', 'Name what to deploy: `asset.id` or `prompt_template.id`.', {
      issues: [
        { code: 'missing_asset', path: ['asset', 'id'], message: 'a template name or a collection id' },
      ],
    });
  }
  return {
    space: body.space_id,
    name: body.name,
    servingName: body.online.parameters?.serving_name,
    description: body.description,
    tags: body.tags,
    asset,
    model: body.base_model_id,
    parameters: custom.parameters,
    guardrailPolicy: custom.guardrailPolicy,
  };
}

function patchError(index: number, message: string): KeelError {
  return new KeelError('invalid_request', message, {
    issues: [{ code: 'invalid_patch', path: [index, 'path'], message }],
  });
}

function updateInput(patch: JsonPatch, current: Deployment) {
  const changes: {
    name?: string;
    servingName?: string | null;
    description?: string;
    tags?: string[];
    asset?: AssetRequest;
    model?: string | null;
    parameters?: Record<string, unknown>;
    guardrailPolicy?: string | null;
  } = {};
  const type = currentVersion(current).asset.type;
  patch.forEach((operation, index) => {
    const { path, value } = operation;
    const removing = operation.op === 'remove';
    if (path === '/name' && typeof value === 'string' && value.trim()) changes.name = value.trim();
    else if (path === '/description' && (typeof value === 'string' || removing))
      changes.description = removing ? '' : (value as string);
    else if (
      path === '/tags' &&
      (removing || (Array.isArray(value) && value.every((tag) => typeof tag === 'string')))
    )
      changes.tags = removing ? [] : (value as string[]);
    else if (path === '/online/parameters/serving_name' && (removing || typeof value === 'string'))
      changes.servingName = removing ? null : (value as string);
    else if ((path === '/asset' || path === '/prompt_template') && value && typeof value === 'object') {
      const asset =
        path === '/asset'
          ? assetOf(value as { id: string; rev?: string }, undefined, type)
          : assetOf(undefined, value as { id: string }, type);
      if (!asset) throw patchError(index, `${path} needs an id`);
      changes.asset = asset;
    } else if (path === '/base_model_id' && (removing || typeof value === 'string'))
      changes.model = removing ? null : (value as string);
    else if (path === '/custom' && value && typeof value === 'object') {
      const custom = customOf(value as Record<string, unknown>);
      if (custom.parameters) changes.parameters = custom.parameters;
      if (custom.guardrailPolicy) changes.guardrailPolicy = custom.guardrailPolicy;
    } else throw patchError(index, `cannot ${operation.op} ${path} with that value`);
  });
  return changes;
}

export function registerWatsonxDeployments(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { deployments } = services;

  const callerFor = (
    c: Parameters<typeof watsonxCaller>[0],
    permission: 'read' | 'write',
    context: { spaceId?: string | undefined; projectId?: string | undefined },
  ) => watsonxCaller(c, services, permission, context);

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    const caller = await callerFor(c, 'write', { spaceId: body.space_id, projectId: body.project_id });
    const deployment = await deployments.create(caller, createInput(body));
    const { space } = await deployments.get(caller.projectId, deployment.id);
    return json(watsonxDeploymentJson(deployment, space), 201);
  });

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const caller = await callerFor(c, 'read', { spaceId: query.space_id, projectId: query.project_id });
    let list = await deployments.list(caller.projectId, { space: query.space_id });
    if (query.serving_name) list = list.filter((deployment) => deployment.servingName === query.serving_name);
    if (query.name) list = list.filter((deployment) => deployment.name === query.name);
    const { spaces } = await deployments.directory.project(caller.projectId);
    return json({
      total_count: list.length,
      limit: 100,
      first: { href: '/ml/v4/deployments' },
      resources: list.map((deployment) => watsonxDeploymentJson(deployment, spaces.get(deployment.spaceId)!)),
    });
  });

  app.openapi(routes.get, async (c) => {
    const query = c.req.valid('query');
    const caller = await callerFor(c, 'read', { spaceId: query.space_id, projectId: query.project_id });
    const { deployment, space } = await deployments.get(caller.projectId, c.req.valid('param').deployment_id);
    return json(watsonxDeploymentJson(deployment, space));
  });

  app.openapi(routes.update, async (c) => {
    const query = c.req.valid('query');
    const caller = await callerFor(c, 'write', { spaceId: query.space_id, projectId: query.project_id });
    const id = c.req.valid('param').deployment_id;
    const { deployment: current } = await deployments.get(caller.projectId, id);
    const updated = await deployments.update(caller, current.id, updateInput(c.req.valid('json'), current));
    const { space } = await deployments.get(caller.projectId, updated.id);
    return json(watsonxDeploymentJson(updated, space));
  });

  app.openapi(routes.delete, async (c) => {
    const query = c.req.valid('query');
    const caller = await callerFor(c, 'write', { spaceId: query.space_id, projectId: query.project_id });
    await deployments.delete(caller, c.req.valid('param').deployment_id);
    return new Response(null, { status: 204 }) as never;
  });
}
