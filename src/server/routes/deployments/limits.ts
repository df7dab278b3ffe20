/**
 * @module server/routes/deployments/limits
 * `/api/v1/limits`: the ledger's limits of the caller's project (rates and budgets per project,
 * API key and deployment) with their current use; admins set and remove them, and scope API keys
 * to deployments.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  keyScopeSchema,
  type LimitJson,
  type LimitUsageJson,
  limitJsonSchema,
  limitListSchema,
  listLimitsQuerySchema,
  setLimitSchema,
} from '../../../api/ledger.js';
import type { LedgerLimit } from '../../../deployments/ledger/index.js';
import { windowStartOf } from '../../../deployments/ledger/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors } from '../route-shapes.js';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/limits',
    tags: ['Limits'],
    summary: "The project's limits and budgets, with use in the current window",
    request: { query: listLimitsQuerySchema },
    responses: {
      200: { description: 'Limits', content: { 'application/json': { schema: limitListSchema } } },
      ...errors,
    },
  }),
  set: createRoute({
    method: 'put',
    path: '/api/v1/limits',
    tags: ['Limits'],
    summary: 'Set (create or replace) the limit of a scope and metric',
    request: { body: { content: { 'application/json': { schema: setLimitSchema } }, required: true } },
    responses: {
      200: { description: 'The limit', content: { 'application/json': { schema: limitJsonSchema } } },
      ...errors,
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/api/v1/limits/{id}',
    tags: ['Limits'],
    summary: 'Remove a limit',
    request: { params: z.object({ id: z.string().min(1).max(100) }) },
    responses: { 204: { description: 'Removed' }, ...errors },
  }),
  keyScope: createRoute({
    method: 'put',
    path: '/api/v1/limits/keys/{id}/deployments',
    tags: ['Limits'],
    summary: 'Scope an API key to deployments (null: no restriction)',
    request: {
      params: z.object({ id: z.string().min(1).max(100) }),
      body: { content: { 'application/json': { schema: keyScopeSchema } }, required: true },
    },
    responses: {
      200: { description: 'The scope', content: { 'application/json': { schema: keyScopeSchema } } },
      ...errors,
    },
  }),
};

export function limitJson(limit: LedgerLimit): LimitJson {
  return {
    id: limit.id,
    project_id: limit.projectId,
    scope_type: limit.scopeType,
    scope_id: limit.scopeId,
    metric: limit.metric,
    limit: limit.limit,
    period: limit.period,
    created_at: limit.createdAt.toISOString(),
    updated_at: limit.updatedAt.toISOString(),
  };
}

export function registerLimitRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { limits } = services;

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    const rows = await limits.usage(projectId, (limit) => windowStartOf(limit));
    const body: LimitUsageJson[] = rows
      .filter(
        (row) =>
          (!query.scope_type || row.limit.scopeType === query.scope_type) &&
          (!query.scope_id || row.limit.scopeId === query.scope_id),
      )
      .map((row) => ({
        ...limitJson(row.limit),
        window_start: row.limit.period === 'total' ? null : new Date(row.windowStart * 1000).toISOString(),
        used: row.used,
        reserved: row.reserved,
        remaining: Math.max(0, row.limit.limit - row.used - row.reserved),
      }));
    return json({ limits: body } satisfies z.infer<typeof limitListSchema>);
  });

  app.openapi(routes.set, async (c) => {
    const { projectId } = callerOf(c, 'manage');
    const body = c.req.valid('json');
    const limit = await limits.set(projectId, {
      scopeType: body.scope_type,
      scopeId: body.scope_id,
      metric: body.metric,
      limit: body.limit,
      period: body.period,
    });
    return json(limitJson(limit) satisfies LimitJson);
  });

  app.openapi(routes.remove, async (c) => {
    const { projectId } = callerOf(c, 'manage');
    await limits.remove(projectId, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.keyScope, async (c) => {
    const { projectId } = callerOf(c, 'manage');
    const deployments = await limits.setKeyScope(
      projectId,
      c.req.valid('param').id,
      c.req.valid('json').deployments,
    );
    return json({ deployments });
  });
}
