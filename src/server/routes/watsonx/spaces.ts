/**
 * @module server/routes/watsonx/spaces
 * `GET/POST /v2/spaces` and `GET/PATCH/DELETE /v2/spaces/{space_id}` in watsonx's shape
 * (`metadata`/`entity`), so the SDK's listSpaces, createSpace, getSpace, updateSpace and
 * deleteSpace work. A Keel space lives in a project: new spaces go to the caller's project
 * (`X-Keel-Project`, else the key's), and a space id names its project for every other call.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  jsonPatchSchema,
  watsonxCreateSpaceSchema,
  watsonxSpaceListSchema,
  watsonxSpaceSchema,
} from '../../../api/deployments.js';
import { KeelError } from '../../../core/errors.js';
import { type Space, type SpaceStage, spaceStages } from '../../../deployments/index.js';
import type { Permission } from '../../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { type ProjectScope, projectScope, type RequestCaller } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json } from '../../respond.js';
import { watsonxError } from './watsonx-route-shapes.js';

export const watsonxDeploymentErrors = {
  400: watsonxError('Invalid request'),
  401: watsonxError('Missing or invalid key'),
  403: watsonxError('Not allowed, or an asset the gate refuses'),
  404: watsonxError('Not found'),
  409: watsonxError('Conflict'),
  410: watsonxError('The deployment was deleted'),
} as const;

const tags = ['watsonx.ai-compatible'];
const spaceParam = z.object({ space_id: z.string().min(1).max(100) });
const one = {
  200: { description: 'The space', content: { 'application/json': { schema: watsonxSpaceSchema } } },
  ...watsonxDeploymentErrors,
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/v2/spaces',
    tags,
    summary: 'List spaces',
    request: {
      query: z.looseObject({
        limit: z.coerce.number().int().min(1).max(200).optional(),
        name: z.string().optional(),
      }),
    },
    responses: {
      200: { description: 'Spaces', content: { 'application/json': { schema: watsonxSpaceListSchema } } },
      ...watsonxDeploymentErrors,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/v2/spaces',
    tags,
    summary: 'Create a space',
    request: {
      body: { required: true, content: { 'application/json': { schema: watsonxCreateSpaceSchema } } },
    },
    responses: { ...one, 201: one[200] },
  }),
  get: createRoute({
    method: 'get',
    path: '/v2/spaces/{space_id}',
    tags,
    summary: 'Retrieve a space',
    request: { params: spaceParam, query: z.looseObject({ include: z.string().optional() }) },
    responses: one,
  }),
  update: createRoute({
    method: 'patch',
    path: '/v2/spaces/{space_id}',
    tags,
    summary: 'Update a space (JSON patch: /name, /description, /tags, /stage/name, /stage/production)',
    request: {
      params: spaceParam,
      body: { required: true, content: { 'application/json': { schema: jsonPatchSchema } } },
    },
    responses: one,
  }),
  delete: createRoute({
    method: 'delete',
    path: '/v2/spaces/{space_id}',
    tags,
    summary: 'Delete an empty space',
    request: { params: spaceParam },
    responses: { 202: { description: 'Deleted' }, ...watsonxDeploymentErrors },
  }),
};

/** The project a watsonx call acts in: the named space's, else the named project, else the key's. */
export async function watsonxScope(
  c: Context<KeelEnv>,
  services: KeelServices,
  permission: Permission,
  context: { spaceId?: string | undefined; projectId?: string | undefined },
): Promise<ProjectScope & { spaceId?: string }> {
  if (context.spaceId) {
    const projectId = await services.deployments.spaces.projectOf(context.spaceId);
    if (!projectId) {
      throw new KeelError('not_found', `Space "${context.spaceId}" not found.`, {
        issues: [{ code: 'unknown_space', path: ['space_id'], message: 'no such space' }],
      });
    }
    return { ...projectScope(c, permission, projectId), spaceId: context.spaceId };
  }
  return projectScope(c, permission, context.projectId);
}

/** The caller of a watsonx call, in the project its space (or project id) names. */
export async function watsonxCaller(
  c: Context<KeelEnv>,
  services: KeelServices,
  permission: Permission,
  context: { spaceId?: string | undefined; projectId?: string | undefined },
): Promise<RequestCaller> {
  const scope = await watsonxScope(c, services, permission, context);
  const principal = c.get('principal');
  return {
    projectId: scope.projectId,
    keyId: scope.keyId,
    actor: principal.userId ?? principal.keyId,
    role: scope.role,
    signal: requestSignal(c),
  };
}

/** A stage from watsonx's `{ production, name }`. */
export function stageFrom(
  stage: { production?: boolean | undefined; name?: string | undefined } | undefined,
): SpaceStage | undefined {
  if (!stage) return undefined;
  if (stage.production) return 'production';
  if (stage.name && (spaceStages as readonly string[]).includes(stage.name)) return stage.name as SpaceStage;
  if (stage.name) {
    throw new KeelError('invalid_request', `"${stage.name}" is not a stage.`, {
      issues: [
        { code: 'invalid_stage', path: ['stage', 'name'], message: `one of ${spaceStages.join(', ')}` },
      ],
    });
  }
  return stage.production === false ? 'development' : undefined;
}

export function watsonxSpaceJson(space: Space) {
  return {
    metadata: {
      id: space.id,
      url: `/v2/spaces/${space.id}`,
      created_at: space.createdAt.toISOString(),
      updated_at: space.updatedAt.toISOString(),
      creator_id: space.createdBy ?? '',
      project_id: space.projectId,
    },
    entity: {
      name: space.name,
      description: space.description,
      stage: { production: space.stage === 'production', name: space.stage },
      status: { state: 'active' },
      tags: space.tags,
      type: 'wx',
    },
  };
}

function patchError(path: (string | number)[], message: string): KeelError {
  return new KeelError('invalid_request', message, { issues: [{ code: 'invalid_patch', path, message }] });
}

export function registerWatsonxSpaces(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { deployments } = services;

  app.openapi(routes.list, async (c) => {
    const scope = projectScope(c, 'read');
    const query = c.req.valid('query');
    let spaces = await deployments.spaces.list(scope.projectId);
    if (query.name) spaces = spaces.filter((space) => space.name === query.name);
    const limit = query.limit ?? 100;
    return json({
      total_count: spaces.length,
      limit,
      first: { href: `/v2/spaces?limit=${limit}` },
      resources: spaces.slice(0, limit).map(watsonxSpaceJson),
    });
  });

  app.openapi(routes.create, async (c) => {
    const scope = projectScope(c, 'write');
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const space = await deployments.createSpace(scope.projectId, principal.userId ?? principal.keyId, {
      name: body.name,
      description: body.description,
      stage: stageFrom(body.stage),
      tags: body.tags,
    });
    return json(watsonxSpaceJson(space), 201);
  });

  app.openapi(routes.get, async (c) => {
    const spaceId = c.req.valid('param').space_id;
    const scope = await watsonxScope(c, services, 'read', { spaceId });
    return json(watsonxSpaceJson(await deployments.spaces.get(scope.projectId, spaceId)));
  });

  app.openapi(routes.update, async (c) => {
    const spaceId = c.req.valid('param').space_id;
    const scope = await watsonxScope(c, services, 'write', { spaceId });
    const changes: { name?: string; description?: string; tags?: string[]; stage?: SpaceStage } = {};
    c.req.valid('json').forEach((operation, index) => {
      const value = operation.value;
      if (operation.op === 'remove') throw patchError([index, 'op'], 'spaces support add and replace only');
      if (operation.path === '/name' && typeof value === 'string' && value.trim())
        changes.name = value.trim();
      else if (operation.path === '/description' && typeof value === 'string') changes.description = value;
      else if (
        operation.path === '/tags' &&
        Array.isArray(value) &&
        value.every((tag) => typeof tag === 'string')
      )
        changes.tags = value as string[];
      else if (operation.path === '/stage/name' && typeof value === 'string')
        changes.stage = stageFrom({ name: value })!;
      else if (operation.path === '/stage/production' && typeof value === 'boolean')
        changes.stage = value ? 'production' : 'development';
      else if (operation.path === '/stage' && value && typeof value === 'object') {
        const stage = stageFrom(value as { production?: boolean; name?: string });
        if (stage) changes.stage = stage;
      } else throw patchError([index, 'path'], `cannot set ${operation.path} to that value`);
    });
    return json(watsonxSpaceJson(await deployments.updateSpace(scope.projectId, spaceId, changes)));
  });

  app.openapi(routes.delete, async (c) => {
    const spaceId = c.req.valid('param').space_id;
    const scope = await watsonxScope(c, services, 'write', { spaceId });
    await deployments.deleteSpace(scope.projectId, spaceId);
    return new Response(null, { status: 202 }) as never;
  });
}
