/**
 * @module server/routes/deployments/deployments
 * Keel's `/api/v1/deployments`: create (a template version or a collection configuration, in a
 * space), list, read, change (a new asset, model, parameters or policy adds a version), delete,
 * roll back, and split traffic between two versions. Viewers read; editors change.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createDeploymentRequestSchema,
  deploymentSchema,
  listDeploymentsQuerySchema,
  rollbackRequestSchema,
  trafficSplitSchema,
  updateDeploymentRequestSchema,
} from '../../../api/deployments.js';
import { type Deployment, type DeploymentService, deploymentJson } from '../../../deployments/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { deploymentErrors } from './spaces.js';

const tags = ['Deployments'];
const idParam = z.object({ id: z.string().min(1).max(200).describe('id, serving name or name') });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const one = {
  200: { description: 'The deployment', content: { 'application/json': { schema: deploymentSchema } } },
  ...deploymentErrors,
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/deployments',
    tags,
    summary: "The project's deployments (optionally one space's)",
    request: { query: listDeploymentsQuerySchema },
    responses: {
      200: {
        description: 'Deployments',
        content: { 'application/json': { schema: z.object({ deployments: z.array(deploymentSchema) }) } },
      },
      ...deploymentErrors,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/deployments',
    tags,
    summary:
      'Deploy a template version or a collection configuration (production spaces: approved assets only)',
    request: body(createDeploymentRequestSchema),
    responses: { ...one, 201: one[200] },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/deployments/{id}',
    tags,
    summary: 'A deployment with its versions',
    request: { params: idParam },
    responses: one,
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/deployments/{id}',
    tags,
    summary: 'Rename or retag; a new asset, model, parameters or policy adds a version that serves at once',
    request: { params: idParam, ...body(updateDeploymentRequestSchema) },
    responses: one,
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/deployments/{id}',
    tags,
    summary: 'Delete: requests in flight finish; new ones get 410 (by id) or 404 (by name)',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...deploymentErrors },
  }),
  rollback: createRoute({
    method: 'post',
    path: '/api/v1/deployments/{id}/rollback',
    tags,
    summary: 'Serve a previous version again (default: the one before the current); ends any split',
    request: {
      params: idParam,
      body: { required: false, content: { 'application/json': { schema: rollbackRequestSchema } } },
    },
    responses: one,
  }),
  split: createRoute({
    method: 'put',
    path: '/api/v1/deployments/{id}/split',
    tags,
    summary: 'Split traffic between two versions by weight',
    request: { params: idParam, ...body(trafficSplitSchema) },
    responses: one,
  }),
  unsplit: createRoute({
    method: 'delete',
    path: '/api/v1/deployments/{id}/split',
    tags,
    summary: 'End the split: the current version serves alone',
    request: { params: idParam },
    responses: one,
  }),
};

async function shown(service: DeploymentService, projectId: string, deployment: Deployment) {
  const space = await service.spaces.get(projectId, deployment.spaceId);
  return deploymentJson(deployment, space);
}

export function registerKeelDeploymentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { deployments } = services;

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const list = await deployments.list(projectId, { space: c.req.valid('query').space });
    const { spaces } = await deployments.directory.project(projectId);
    return json({
      deployments: list.map((deployment) => deploymentJson(deployment, spaces.get(deployment.spaceId)!)),
    });
  });

  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    const input = c.req.valid('json');
    const deployment = await deployments.create(caller, {
      space: input.space,
      name: input.name,
      servingName: input.serving_name,
      description: input.description,
      tags: input.tags,
      asset: input.asset,
      model: input.model,
      parameters: input.parameters,
      guardrailPolicy: input.guardrail_policy,
    });
    return json(await shown(deployments, caller.projectId, deployment), 201);
  });

  app.openapi(routes.get, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const { deployment, space } = await deployments.get(projectId, c.req.valid('param').id);
    return json(deploymentJson(deployment, space));
  });

  app.openapi(routes.update, async (c) => {
    const caller = callerOf(c, 'write');
    const input = c.req.valid('json');
    const deployment = await deployments.update(caller, c.req.valid('param').id, {
      name: input.name,
      servingName: input.serving_name,
      description: input.description,
      tags: input.tags,
      asset: input.asset,
      model: input.model,
      parameters: input.parameters,
      guardrailPolicy: input.guardrail_policy,
    });
    return json(await shown(deployments, caller.projectId, deployment));
  });

  app.openapi(routes.delete, async (c) => {
    const caller = callerOf(c, 'write');
    await deployments.delete(caller, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.rollback, async (c) => {
    const caller = callerOf(c, 'write');
    const version = (c.req.valid('json') as { version?: number } | undefined)?.version;
    const deployment = await deployments.rollback(caller, c.req.valid('param').id, version);
    return json(await shown(deployments, caller.projectId, deployment));
  });

  app.openapi(routes.split, async (c) => {
    const caller = callerOf(c, 'write');
    const split = c.req.valid('json');
    const deployment = await deployments.split(caller, c.req.valid('param').id, {
      versions: split.versions,
      mode: split.mode ?? 'request_id',
    });
    return json(await shown(deployments, caller.projectId, deployment));
  });

  app.openapi(routes.unsplit, async (c) => {
    const caller = callerOf(c, 'write');
    const deployment = await deployments.split(caller, c.req.valid('param').id, null);
    return json(await shown(deployments, caller.projectId, deployment));
  });
}
