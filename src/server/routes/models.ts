/**
 * @module server/routes/models
 * `/api/v1/models`: the catalog (with what is present locally), every provider's models and
 * reachability, and model downloads (`/api/v1/models/pulls`) with live progress over SSE.
 * Pulling writes gigabytes to the server's disk, so it takes the admin role.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { modelsOverviewSchema, pullJobSchema, startPullRequestSchema } from '../../api/models.js';
import { listCatalog } from '../../models/catalog.js';
import type { PullJob } from '../../models/pull-jobs.js';
import type { ModelInfo } from '../../spec/provider.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { projectScope } from '../project-scope.js';
import { requestSignal } from '../request-signal.js';
import { json, sse } from '../respond.js';
import { keelErrors as errors } from './route-shapes.js';

const idParam = z.object({ id: z.string().min(1) });

const routes = {
  overview: createRoute({
    method: 'get',
    path: '/api/v1/models',
    tags: ['Models'],
    summary: 'Catalog, local models, provider models and status',
    responses: {
      200: { description: 'Overview', content: { 'application/json': { schema: modelsOverviewSchema } } },
    },
  }),
  startPull: createRoute({
    method: 'post',
    path: '/api/v1/models/pulls',
    tags: ['Models'],
    summary: 'Download a model into the data directory',
    request: {
      body: { required: true, content: { 'application/json': { schema: startPullRequestSchema } } },
    },
    responses: {
      202: { description: 'The pull job', content: { 'application/json': { schema: pullJobSchema } } },
      ...errors,
    },
  }),
  listPulls: createRoute({
    method: 'get',
    path: '/api/v1/models/pulls',
    tags: ['Models'],
    summary: "Model downloads of the project (an organisation administrator's list has every project's)",
    responses: {
      200: {
        description: 'Pull jobs',
        content: { 'application/json': { schema: z.object({ pulls: z.array(pullJobSchema) }) } },
      },
    },
  }),
  getPull: createRoute({
    method: 'get',
    path: '/api/v1/models/pulls/{id}',
    tags: ['Models'],
    summary: 'One download',
    request: { params: idParam },
    responses: {
      200: { description: 'The pull job', content: { 'application/json': { schema: pullJobSchema } } },
      ...errors,
    },
  }),
  pullEvents: createRoute({
    method: 'get',
    path: '/api/v1/models/pulls/{id}/events',
    tags: ['Models'],
    summary: 'Live progress of a download (server-sent events, until it ends)',
    request: { params: idParam },
    responses: {
      200: {
        description: 'Events with the job as data',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errors,
    },
  }),
  cancelPull: createRoute({
    method: 'delete',
    path: '/api/v1/models/pulls/{id}',
    tags: ['Models'],
    summary: 'Cancel a download (the partial file is kept for resuming)',
    request: { params: idParam },
    responses: {
      200: { description: 'The pull job', content: { 'application/json': { schema: pullJobSchema } } },
      ...errors,
    },
  }),
};

export function pullJobJson(job: PullJob) {
  return {
    id: job.id,
    project_id: job.projectId,
    // Already redacted by the pull service: no credentials, no signed-URL secrets.
    source: job.source,
    status: job.status,
    bytes_done: job.progress.bytesDone,
    bytes_total: job.progress.bytesTotal ?? null,
    bytes_per_second: Math.round(job.progress.bytesPerSecond),
    started_at: job.startedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
    model_id: job.result ? `llamacpp:${job.result.name}` : null,
    error: job.error,
  };
}

function sourceLabel(source: ReturnType<typeof listCatalog>[number]['source']): string {
  return source.type === 'hf' ? `hf:${source.repo}/${source.file}` : source.url;
}

export function registerModelRoutes(
  app: OpenAPIHono<KeelEnv>,
  services: KeelServices,
  listModels: () => Promise<ModelInfo[]>,
): void {
  app.openapi(routes.overview, async (c) => {
    projectScope(c, 'read');
    const [models, statuses] = await Promise.all([listModels(), services.registry.status()]);
    const local = new Set(
      models.filter((model) => model.provider === 'llamacpp').map((model) => model.modelId),
    );
    return json({
      models: models.map((model) => ({
        id: model.id,
        provider: model.provider,
        model_id: model.modelId,
        kinds: model.kinds,
        ...(model.tasks ? { tasks: model.tasks } : {}),
        ...(model.contextLength ? { context_length: model.contextLength } : {}),
        ...(model.details ? { details: model.details } : {}),
        ...(model.provider === 'llamacpp' && listCatalog().some((entry) => entry.id === model.modelId)
          ? { catalog_id: model.modelId }
          : {}),
      })),
      catalog: listCatalog().map((entry) => ({
        id: entry.id,
        model_id: `llamacpp:${entry.id}`,
        display_name: entry.displayName,
        family: entry.family,
        publisher: entry.publisher,
        tasks: entry.tasks,
        context_length: entry.contextLength,
        licence: entry.licence,
        commercial_use: entry.commercialUse,
        parameters: entry.parameters,
        ...(entry.dimensions ? { dimensions: entry.dimensions } : {}),
        price_per_million: entry.pricePerMillion,
        languages: entry.languages,
        ...(entry.source.sizeBytes ? { size_bytes: entry.source.sizeBytes } : {}),
        quantisation: entry.quantisation,
        source: sourceLabel(entry.source),
        present: local.has(entry.id),
        ...(entry.notes ? { notes: entry.notes } : {}),
        ...(entry.notesKo ? { notes_ko: entry.notesKo } : {}),
      })),
      providers: Object.entries(statuses).map(([name, status]) => ({
        name,
        type: status.type,
        reachable: status.reachable,
        ...(status.message ? { message: status.message } : {}),
        ...(status.latencyMs !== undefined ? { latency_ms: Math.round(status.latencyMs * 10) / 10 } : {}),
      })),
    });
  });

  /** Pulls belong to a project; an organisation administrator sees every project's. */
  const pullCaller = (c: Parameters<typeof projectScope>[0]) => {
    const scope = projectScope(c, 'manage');
    const principal = c.get('principal');
    return {
      projectId: scope.projectId,
      actor: principal.userId ?? principal.keyId,
      orgAdmin: principal.orgAdmin,
    };
  };

  app.openapi(routes.startPull, async (c) => {
    const caller = pullCaller(c);
    const body = c.req.valid('json');
    const job = await services.pulls.start(caller, {
      source: body.source,
      ...(body.name ? { name: body.name } : {}),
      ...(body.sha256 ? { sha256: body.sha256 } : {}),
      ...(body.force ? { force: true } : {}),
    });
    return json(pullJobJson(job), 202);
  });

  app.openapi(routes.listPulls, async (c) => {
    return json({ pulls: (await services.pulls.list(pullCaller(c))).map(pullJobJson) });
  });

  app.openapi(routes.getPull, async (c) => {
    return json(pullJobJson(await services.pulls.get(pullCaller(c), c.req.valid('param').id)));
  });

  app.openapi(routes.pullEvents, async (c) => {
    const caller = pullCaller(c);
    const id = c.req.valid('param').id;
    await services.pulls.get(caller, id);
    const updates = services.pulls.follow(caller, id, requestSignal(c));
    async function* events(): AsyncGenerator<string> {
      for await (const job of updates) yield `event: progress\ndata: ${JSON.stringify(pullJobJson(job))}\n\n`;
    }
    return sse(events());
  });

  app.openapi(routes.cancelPull, async (c) => {
    return json(pullJobJson(await services.pulls.cancel(pullCaller(c), c.req.valid('param').id)));
  });
}
