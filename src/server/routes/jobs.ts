/**
 * @module server/routes/jobs
 * `/api/v1/jobs`: every module's long work (ingestion, experiments, model downloads …) as one
 * resource, scoped to the project. Viewers read jobs and follow them live (server-sent events:
 * the current state first, then each change until the job ends); editors cancel them.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { jobDetailSchema, jobJsonSchema, listJobsQuerySchema } from '../../api/jobs.js';
import { type Job, jobJson } from '../../jobs/index.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { callerOf } from '../project-scope.js';
import { json, sse } from '../respond.js';
import { keelErrors as errors } from './route-shapes.js';

const idParam = z.object({ id: z.string().min(1).max(100) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/jobs',
    tags: ['Jobs'],
    summary: "The project's jobs, newest first",
    request: { query: listJobsQuerySchema },
    responses: {
      200: {
        description: 'Jobs',
        content: { 'application/json': { schema: z.object({ jobs: z.array(jobJsonSchema) }) } },
      },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/jobs/{id}',
    tags: ['Jobs'],
    summary: 'A job, with the items that failed on their own',
    request: { params: idParam },
    responses: {
      200: { description: 'The job', content: { 'application/json': { schema: jobDetailSchema } } },
      ...errors,
    },
  }),
  events: createRoute({
    method: 'get',
    path: '/api/v1/jobs/{id}/events',
    tags: ['Jobs'],
    summary:
      'Live progress (server-sent events: `state` with the job, `log` with lifecycle records; ends with the job)',
    request: { params: idParam },
    responses: {
      200: { description: 'Events', content: { 'text/event-stream': { schema: z.string() } } },
      ...errors,
    },
  }),
  cancel: createRoute({
    method: 'post',
    path: '/api/v1/jobs/{id}/cancel',
    tags: ['Jobs'],
    summary: 'Ask a job to stop (a queued job stops at once, a running one at its next check)',
    request: { params: idParam },
    responses: {
      200: { description: 'The job', content: { 'application/json': { schema: jobJsonSchema } } },
      ...errors,
    },
  }),
};

export function registerJobRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { jobs } = services;
  const show = (job: Job) => jobJson(job, jobs.handler(job.kind));

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    const list = await jobs.list({
      projectId,
      kind: query.kind,
      status: query.status,
      limit: query.limit ?? 50,
    });
    return json({ jobs: list.map(show) });
  });

  app.openapi(routes.get, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const job = await jobs.get(c.req.valid('param').id, { projectId });
    const { failures, count } = await jobs.failures(job.id);
    return json({
      ...show(job),
      failures: failures.map((failure) => ({
        item: failure.key,
        label: failure.label,
        code: failure.code,
        message: failure.message,
      })),
      failures_count: count,
    });
  });

  app.openapi(routes.events, async (c) => {
    const caller = callerOf(c, 'read');
    const id = c.req.valid('param').id;
    await jobs.get(id, { projectId: caller.projectId });
    const updates = jobs.follow(id, { projectId: caller.projectId, signal: caller.signal });
    async function* events(): AsyncGenerator<string> {
      for await (const event of updates) {
        if (event.type === 'state') yield `event: state\ndata: ${JSON.stringify(show(event.job))}\n\n`;
        else
          yield `event: log\ndata: ${JSON.stringify({
            id: event.event.id,
            type: event.event.type,
            message: event.event.message,
            data: event.event.data,
            created_at: event.event.createdAt.toISOString(),
          })}\n\n`;
      }
    }
    return sse(events());
  });

  app.openapi(routes.cancel, async (c) => {
    const { projectId } = callerOf(c, 'write');
    return json(show(await jobs.cancel(c.req.valid('param').id, { projectId })));
  });
}
