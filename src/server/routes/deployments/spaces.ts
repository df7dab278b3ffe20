/**
 * @module server/routes/deployments/spaces
 * Keel's `/api/v1/spaces`: a project's deployment spaces (development, staging, production …).
 * Viewers read them; editors create, change and delete them.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createSpaceRequestSchema, spaceSchema, updateSpaceRequestSchema } from '../../../api/deployments.js';
import { keelErrorSchema } from '../../../api/platform.js';
import { spaceJson } from '../../../deployments/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: keelErrorSchema } },
});
export const deploymentErrors = {
  400: error('Invalid request (issues[] with paths)'),
  403: error('Not allowed, or an asset the gate refuses'),
  404: error('Not found (also: another project’s)'),
  409: error('Conflict: a taken name, a space that is not empty'),
  410: error('The deployment was deleted'),
} as const;

const tags = ['Deployments'];
const idParam = z.object({ id: z.string().min(1).max(100) });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const one = {
  200: { description: 'The space', content: { 'application/json': { schema: spaceSchema } } },
  ...deploymentErrors,
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/spaces',
    tags,
    summary: "The project's deployment spaces",
    responses: {
      200: {
        description: 'Spaces',
        content: { 'application/json': { schema: z.object({ spaces: z.array(spaceSchema) }) } },
      },
      ...deploymentErrors,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/spaces',
    tags,
    summary: 'Create a space',
    request: body(createSpaceRequestSchema),
    responses: { ...one, 201: one[200] },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/spaces/{id}',
    tags,
    summary: 'A space by id or name',
    request: { params: idParam },
    responses: one,
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/spaces/{id}',
    tags,
    summary: 'Rename, describe or restage a space (to production: everything it serves must pass the gate)',
    request: { params: idParam, ...body(updateSpaceRequestSchema) },
    responses: one,
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/spaces/{id}',
    tags,
    summary: 'Delete an empty space',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...deploymentErrors },
  }),
};

export function registerSpaceRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { deployments } = services;

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ spaces: (await deployments.spaces.list(projectId)).map(spaceJson) });
  });

  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    const input = c.req.valid('json');
    return json(spaceJson(await deployments.createSpace(caller.projectId, caller.actor, input)), 201);
  });

  app.openapi(routes.get, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json(spaceJson(await deployments.spaces.get(projectId, c.req.valid('param').id)));
  });

  app.openapi(routes.update, async (c) => {
    const { projectId } = callerOf(c, 'write');
    return json(
      spaceJson(await deployments.updateSpace(projectId, c.req.valid('param').id, c.req.valid('json'))),
    );
  });

  app.openapi(routes.delete, async (c) => {
    const { projectId } = callerOf(c, 'write');
    await deployments.deleteSpace(projectId, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });
}
