/**
 * @module server/routes/usage
 * `GET /api/v1/usage`: tokens, requests and latency of the project, grouped by model, key, day
 * and/or endpoint.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { usageQuerySchema, usageResponseSchema } from '../../api/platform.js';
import { KeelError } from '../../core/errors.js';
import { queryUsage } from '../../platform/usage-meter.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { projectScope } from '../project-scope.js';
import { json } from '../respond.js';
import { keelError } from './route-shapes.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/usage',
  tags: ['Usage'],
  summary: 'Aggregated usage of the project',
  request: { query: usageQuerySchema },
  responses: {
    200: { description: 'Usage rows', content: { 'application/json': { schema: usageResponseSchema } } },
    400: keelError('Invalid request'),
  },
});

export function registerUsage(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const scope = projectScope(c, 'read', query.project_id);
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) {
      throw new KeelError('invalid_request', '`from` must be before `to`.', {
        issues: [{ code: 'custom', path: ['from'], message: 'must be before to' }],
      });
    }
    // Reads include what the meter has not yet written.
    await services.usage.flush();
    const rows = await queryUsage(services.db, {
      projectId: scope.projectId,
      from,
      to,
      groupBy: query.group_by,
    });
    return json({
      project_id: scope.projectId,
      group_by: query.group_by,
      rows: rows.map((row) => ({
        ...(row.model !== undefined ? { model: row.model } : {}),
        ...(row.keyId !== undefined ? { key_id: row.keyId } : {}),
        ...(row.day !== undefined ? { day: row.day } : {}),
        ...(row.endpoint !== undefined ? { endpoint: row.endpoint } : {}),
        requests: row.requests,
        errors: row.errors,
        input_tokens: row.inputTokens,
        output_tokens: row.outputTokens,
        latency_ms_avg: row.latencyMsAvg,
        latency_ms_p95: row.latencyMsP95,
      })),
    });
  });
}
