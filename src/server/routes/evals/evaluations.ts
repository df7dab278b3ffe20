/**
 * @module server/routes/evals/evaluations
 * `/api/v1/evaluations`: create a run (queued on the job service), list, get with aggregates,
 * per-item results with paging (each with its dataset item, for the drill-down), cancel, compare
 * two runs, and live progress as server-sent events. Editors create and cancel, viewers read.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  compareQuerySchema,
  comparisonSchema,
  createEvaluationSchema,
  evaluationItemSchema,
  evaluationSchema,
  itemsQuerySchema,
} from '../../../api/evals.js';
import { jobJson } from '../../../jobs/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json, sse } from '../../respond.js';
import { keelErrors as errors, okJson as ok } from '../route-shapes.js';
import { evaluationJson } from './serialize.js';

const idParam = z.object({ id: z.string().min(1).max(100) });
const tags = ['Evaluation'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/api/v1/evaluations',
    tags,
    summary: 'Start an evaluation run of a template, a RAG collection or a model over a dataset',
    request: {
      body: { required: true, content: { 'application/json': { schema: createEvaluationSchema } } },
    },
    responses: {
      202: { description: 'Queued', content: { 'application/json': { schema: evaluationSchema } } },
      ...errors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/evaluations',
    tags,
    summary: 'Recent evaluation runs',
    request: {
      query: z.object({
        dataset: z.string().min(1).max(200).optional(),
        source: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('only the runs one feature recorded: a RAG experiment’s id, a Prompt Lab comparison’s'),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
    },
    responses: ok(z.object({ evaluations: z.array(evaluationSchema) }), 'Runs'),
  }),
  compare: createRoute({
    method: 'get',
    path: '/api/v1/evaluations/compare',
    tags,
    summary: 'Compare run b against run a, item by item, with significance tests',
    request: { query: compareQuerySchema },
    responses: ok(comparisonSchema, 'The comparison'),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/evaluations/{id}',
    tags,
    summary: 'A run with its aggregates and threshold results',
    request: { params: idParam },
    responses: ok(evaluationSchema, 'The run'),
  }),
  items: createRoute({
    method: 'get',
    path: '/api/v1/evaluations/{id}/items',
    tags,
    summary: 'Per-item results (with the dataset item), in dataset order',
    request: { params: idParam, query: itemsQuerySchema },
    responses: ok(z.object({ items: z.array(evaluationItemSchema), total: z.number().int() }), 'Items'),
  }),
  cancel: createRoute({
    method: 'post',
    path: '/api/v1/evaluations/{id}/cancel',
    tags,
    summary: 'Cancel a queued or running run',
    request: { params: idParam },
    responses: ok(evaluationSchema, 'The run'),
  }),
  events: createRoute({
    method: 'get',
    path: '/api/v1/evaluations/{id}/events',
    tags,
    summary: 'Live progress (server-sent events: `state` with the run’s job; ends with it)',
    request: { params: idParam },
    responses: { 200: { description: 'text/event-stream' }, ...errors },
  }),
};

export function registerEvaluationRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const runs = services.evals.runs;
  const datasets = services.evals.datasets.store;

  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    const run = await runs.create(caller, c.req.valid('json'));
    return json(evaluationJson(run), 202);
  });
  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    const dataset = query.dataset ? (await datasets.get(projectId, query.dataset)).id : undefined;
    const rows = await runs.list(projectId, { limit: query.limit ?? 100, dataset, source: query.source });
    return json({ evaluations: rows.map(evaluationJson) });
  });
  app.openapi(routes.compare, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    return json(await runs.compare(projectId, query.a, query.b, { limit: query.limit ?? 100 }));
  });
  app.openapi(routes.get, async (c) =>
    json(evaluationJson(await runs.get(callerOf(c, 'read').projectId, c.req.valid('param').id))),
  );
  app.openapi(routes.items, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    const run = await runs.get(projectId, c.req.valid('param').id);
    const page = await runs.items(projectId, run.id, {
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
      status: query.status,
    });
    const items = new Map(
      (
        await datasets.itemsAt(
          run.dataset_id,
          run.dataset_version,
          page.items.map((item) => item.ordinal),
        )
      ).map((item) => [item.ordinal, item]),
    );
    return json({
      total: page.total,
      items: page.items.map(({ run_id: _run, created_at: _at, ...item }) => ({
        ...item,
        item: items.get(item.ordinal) ?? null,
      })),
    });
  });
  app.openapi(routes.cancel, async (c) =>
    json(evaluationJson(await runs.cancel(callerOf(c, 'write'), c.req.valid('param').id))),
  );
  app.openapi(routes.events, async (c) => {
    const caller = callerOf(c, 'read');
    const updates = await runs.events(caller.projectId, c.req.valid('param').id, caller.signal);
    async function* events(): AsyncGenerator<string> {
      for await (const event of updates) {
        if (event.type === 'state') yield `event: state\ndata: ${JSON.stringify(jobJson(event.job))}\n\n`;
      }
    }
    return sse(events());
  });
}
