/**
 * @module server/routes/rag/experiments
 * `/api/v1/collections/{id}/experiments` and `/api/v1/experiments/{id}`: experiment grids run over
 * a collection in the background, their leaderboards, and applying the best configuration.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { experimentRequestSchema, experimentSchema } from '../../../api/rag.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, jsonBody, okJson as ok } from '../route-shapes.js';
import { collectionJson, configuredSchema, idParam, tags } from './rag-route-parts.js';

const routes = {
  experiment: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/experiments',
    tags,
    summary: 'Run an experiment grid over the collection (runs in the background)',
    request: { params: idParam, ...jsonBody(experimentRequestSchema) },
    responses: {
      202: { description: 'Started', content: { 'application/json': { schema: experimentSchema } } },
      ...errors,
    },
  }),
  experiments: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/experiments',
    tags,
    summary: 'Experiments of a collection',
    request: { params: idParam },
    responses: ok(z.object({ experiments: z.array(experimentSchema) }), 'Experiments'),
  }),
  getExperiment: createRoute({
    method: 'get',
    path: '/api/v1/experiments/{id}',
    tags,
    summary: 'An experiment and its leaderboard',
    request: { params: idParam },
    responses: ok(experimentSchema, 'The experiment'),
  }),
  applyExperiment: createRoute({
    method: 'post',
    path: '/api/v1/experiments/{id}/apply',
    tags,
    summary: "Save the experiment's best configuration as the collection's",
    request: { params: idParam },
    responses: ok(configuredSchema, 'The collection'),
  }),
};

export function registerExperimentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const rag = services.rag;

  app.openapi(routes.experiment, async (c) =>
    json(await rag.startExperiment(callerOf(c, 'write'), c.req.valid('param').id, c.req.valid('json')), 202),
  );
  app.openapi(routes.experiments, async (c) =>
    json({ experiments: await rag.listExperiments(callerOf(c, 'read'), c.req.valid('param').id) }),
  );
  app.openapi(routes.getExperiment, async (c) =>
    json(await rag.getExperiment(callerOf(c, 'read'), c.req.valid('param').id)),
  );
  app.openapi(routes.applyExperiment, async (c) => {
    const result = await rag.applyExperiment(callerOf(c, 'write'), c.req.valid('param').id);
    return json({ collection: collectionJson(result.collection), version: result.version, job: result.job });
  });
}
