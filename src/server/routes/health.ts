/**
 * @module server/routes/health
 * `GET /health` (public: status only, no data) and `GET /metrics` (Prometheus; needs a key that may
 * manage some project, since the figures span projects).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { healthSchema } from '../../api/platform.js';
import { KeelError } from '../../core/errors.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { json } from '../respond.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness and database reachability',
  security: [],
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'Degraded', content: { 'application/json': { schema: healthSchema } } },
  },
});

export function registerHealth(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(healthRoute, async () => {
    let ok = true;
    try {
      await services.db.query('SELECT 1');
    } catch {
      ok = false;
    }
    return json(
      {
        status: ok ? 'ok' : 'degraded',
        version: services.version,
        uptime_seconds: Math.round((Date.now() - services.startedAt.getTime()) / 1000),
        database: { engine: services.db.provider, ok },
      },
      ok ? 200 : 503,
    );
  });
}

export function registerMetrics(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.get('/metrics', async (c) => {
    const principal = c.get('principal');
    const mayManage = principal.orgAdmin || [...principal.projectRoles.values()].includes('admin');
    if (!mayManage) throw new KeelError('forbidden', 'Metrics span all projects: they need an admin key.');
    const body = await services.metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': services.metrics.registry.contentType });
  });
}
