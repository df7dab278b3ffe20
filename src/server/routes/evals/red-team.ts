/**
 * @module server/routes/evals/red-team
 * `/api/v1/red-team`: probe sets, runs (created by editors, read by viewers, scoped to the caller's
 * project), each run's report and its per-probe drill-down. A run is a job (`evals.redteam`):
 * follow it on `/api/v1/jobs/{job_id}/events`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createRedTeamRunSchema,
  probeResultSchema,
  probeSetSchema,
  redTeamListQuerySchema,
  redTeamResultsQuerySchema,
  redTeamRunSchema,
} from '../../../api/red-team.js';
import { parsePolicyBody } from '../../../guardrails/guardrail-service.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors } from '../route-shapes.js';

const idParam = z.object({ id: z.string().min(1).max(100) });
const tags = ['Evaluations'];

const routes = {
  sets: createRoute({
    method: 'get',
    path: '/api/v1/red-team/probe-sets',
    tags,
    summary: 'Probe sets available (Keel’s own in Korean and English, and public sets the server has)',
    responses: {
      200: {
        description: 'Probe sets',
        content: { 'application/json': { schema: z.object({ probe_sets: z.array(probeSetSchema) }) } },
      },
      ...errors,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/red-team/runs',
    tags,
    summary: 'Start a red-team run: a probe set against a model or template under a guardrail policy',
    request: {
      body: { required: true, content: { 'application/json': { schema: createRedTeamRunSchema } } },
    },
    responses: {
      202: { description: 'The run, queued', content: { 'application/json': { schema: redTeamRunSchema } } },
      ...errors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/red-team/runs',
    tags,
    summary: "The project's red-team runs, newest first",
    request: { query: redTeamListQuerySchema },
    responses: {
      200: {
        description: 'Runs',
        content: { 'application/json': { schema: z.object({ runs: z.array(redTeamRunSchema) }) } },
      },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/red-team/runs/{id}',
    tags,
    summary: 'A run with its report (attack success rate per category × language, what caught what)',
    request: { params: idParam },
    responses: {
      200: { description: 'The run', content: { 'application/json': { schema: redTeamRunSchema } } },
      ...errors,
    },
  }),
  results: createRoute({
    method: 'get',
    path: '/api/v1/red-team/runs/{id}/results',
    tags,
    summary: 'Per-probe results of a run, in order, filtered',
    request: { params: idParam, query: redTeamResultsQuerySchema },
    responses: {
      200: {
        description: 'Results',
        content: { 'application/json': { schema: z.object({ results: z.array(probeResultSchema) }) } },
      },
      ...errors,
    },
  }),
};

export function registerRedTeamRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { redTeam } = services;
  app.openapi(routes.sets, async (c) => {
    callerOf(c, 'read');
    return json({ probe_sets: await redTeam.listProbeSets() });
  });
  app.openapi(routes.create, async (c) => {
    const run = await redTeam.createRun(callerOf(c, 'write'), c.req.valid('json'), {
      parsePolicy: parsePolicyBody,
    });
    return json(run satisfies z.infer<typeof redTeamRunSchema>, 202);
  });
  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    return json({ runs: await redTeam.listRuns(callerOf(c, 'read'), query.limit) });
  });
  app.openapi(routes.get, async (c) =>
    json(await redTeam.getRun(callerOf(c, 'read'), c.req.valid('param').id)),
  );
  app.openapi(routes.results, async (c) => {
    const { success, ...query } = c.req.valid('query');
    const results = await redTeam.results(callerOf(c, 'read'), c.req.valid('param').id, {
      ...query,
      ...(success ? { success: success === 'true' } : {}),
    });
    return json({ results });
  });
}
