/**
 * @module server/routes/deployments/deployment-metrics
 * `GET /api/v1/deployments/{id}/metrics`: the deployment's traffic per bucket (requests, errors,
 * latency p50/p95/p99, tokens, cost) over the last minutes, from the monitoring request log — the
 * series the console's live charts poll. Viewers read.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type DeploymentMetricsJson,
  deploymentMetricsQuerySchema,
  deploymentMetricsSchema,
} from '../../../api/deployment-metrics.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { deploymentErrors } from './spaces.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/deployments/{id}/metrics',
  tags: ['Deployments'],
  summary:
    "The deployment's requests, errors, latency, tokens and cost per bucket (default: per minute, last hour)",
  request: {
    params: z.object({ id: z.string().min(1).max(200).describe('id, serving name or name') }),
    query: deploymentMetricsQuerySchema,
  },
  responses: {
    200: { description: 'The series', content: { 'application/json': { schema: deploymentMetricsSchema } } },
    ...deploymentErrors,
  },
});

export function registerDeploymentMetricsRoute(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(route, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    const series = await services.deployments.metrics(projectId, c.req.valid('param').id, {
      minutes: query.minutes,
      bucketSeconds: query.bucket_seconds,
    });
    return json({
      deployment_id: series.deployment.id,
      from: series.from.toISOString(),
      to: series.to.toISOString(),
      bucket_seconds: series.bucketSeconds,
      buckets: series.buckets.map(({ start, ...figures }) => ({ start: start.toISOString(), ...figures })),
      totals: series.totals,
      versions: series.versions,
    } satisfies DeploymentMetricsJson);
  });
}
