/**
 * @module server/routes/evals/metrics
 * `/api/v1/metrics`: compute one metric directly (any member of the project may; nothing is
 * stored, so nothing is audited) and list the registry. Limits: 10,000 items and 1 MB per item,
 * each a coded 400 beyond.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  computeMetricRequestSchema,
  computeMetricResponseSchema,
  listMetricsResponseSchema,
  METRIC_MAX_ITEM_BYTES,
  METRIC_MAX_ITEMS,
} from '../../../api/metrics.js';
import { KeelError } from '../../../core/errors.js';
import { computeMetric, listMetrics } from '../../../evals/metrics/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelError } from '../route-shapes.js';

const errors = {
  400: keelError('Invalid request'),
  403: keelError('Not allowed'),
} as const;

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/metrics',
    tags: ['Evaluations'],
    summary: 'The metrics Keel computes: what each needs, its range and direction',
    responses: {
      200: { description: 'Metrics', content: { 'application/json': { schema: listMetricsResponseSchema } } },
      ...errors,
    },
  }),
  compute: createRoute({
    method: 'post',
    path: '/api/v1/metrics/compute',
    tags: ['Evaluations'],
    summary: 'Compute one metric over predictions (and references, sources, labels or groups)',
    request: {
      body: { content: { 'application/json': { schema: computeMetricRequestSchema } }, required: true },
    },
    responses: {
      200: {
        description: 'The score',
        content: { 'application/json': { schema: computeMetricResponseSchema } },
      },
      ...errors,
    },
  }),
};

const columns = ['predictions', 'references', 'sources', 'labels', 'groups'] as const;

function checkLimits(body: Record<string, unknown>): void {
  for (const name of columns) {
    const values = body[name];
    if (!Array.isArray(values)) continue;
    if (values.length > METRIC_MAX_ITEMS) {
      throw new KeelError(
        'invalid_request',
        `${name} has ${values.length} items; the limit is ${METRIC_MAX_ITEMS}.`,
        {
          issues: [
            { code: 'too_many_items', path: [name], message: `At most ${METRIC_MAX_ITEMS} items per call.` },
          ],
        },
      );
    }
    values.forEach((value, index) => {
      const size =
        typeof value === 'string' ? Buffer.byteLength(value) : Buffer.byteLength(JSON.stringify(value));
      if (size > METRIC_MAX_ITEM_BYTES) {
        throw new KeelError('invalid_request', `${name}[${index}] is larger than 1 MB.`, {
          issues: [
            { code: 'item_too_large', path: [name, index], message: 'Each item may be at most 1 MB.' },
          ],
        });
      }
    });
  }
}

/** JSON has no Infinity or NaN: they travel as null. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function registerMetricRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  void services;
  app.openapi(routes.list, async (c) => {
    callerOf(c, 'read');
    return json({
      metrics: listMetrics().map((info) => ({
        name: info.name,
        family: info.family,
        description: info.description,
        needs_references: info.needsReferences,
        needs_sources: info.needsSources,
        needs_groups: info.needsGroups,
        higher_is_better: info.higherIsBetter,
        range: info.range.map(finite),
      })),
    });
  });

  app.openapi(routes.compute, async (c) => {
    callerOf(c, 'read');
    const body = c.req.valid('json');
    checkLimits(body);
    const result = computeMetric(body.metric, {
      predictions: body.predictions,
      ...(body.references ? { references: body.references } : {}),
      ...(body.sources ? { sources: body.sources } : {}),
      ...(body.labels ? { labels: body.labels } : {}),
      ...(body.groups ? { groups: body.groups } : {}),
      ...(body.options ? { options: body.options } : {}),
    });
    return json({
      metric: result.metric,
      score: finite(result.score),
      per_item: result.per_item.map(finite),
      ...(result.details ? { details: result.details } : {}),
    });
  });
}
