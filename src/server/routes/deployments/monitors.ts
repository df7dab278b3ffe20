/**
 * @module server/routes/deployments/monitors
 * `/api/v1/monitors`: the project's monitors (traffic, guardrails, drift, fairness on the request
 * log), their runs' values, and a run on demand (queued on the job service, or `?wait=true` to
 * run at once and answer with the values and the alerts raised). Editors change monitors.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { jobJsonSchema } from '../../../api/jobs.js';
import {
  type AlertJson,
  createdMonitorSchema,
  createMonitorSchema,
  type MonitorJson,
  monitorJsonSchema,
  monitorResultJsonSchema,
  monitorRunJsonSchema,
  updateMonitorSchema,
} from '../../../api/monitors.js';
import type { Alert, Monitor, MonitorConfig, MonitorResult } from '../../../deployments/monitoring/index.js';
import { jobJson } from '../../../jobs/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelError, keelErrors } from '../route-shapes.js';

const errors = { ...keelErrors, 409: keelError('Conflict') };
const idParam = z.object({ id: z.string().min(1).max(100) });
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/monitors',
    tags: ['Monitors'],
    summary: "The project's monitors",
    request: { query: z.object({ deployment_id: z.string().min(1).max(200).optional() }) },
    responses: {
      200: {
        description: 'Monitors',
        content: { 'application/json': { schema: z.object({ monitors: z.array(monitorJsonSchema) }) } },
      },
      ...errors,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/monitors',
    tags: ['Monitors'],
    summary: 'Create a monitor (a webhook gets a signing secret, shown once)',
    request: jsonBody(createMonitorSchema),
    responses: {
      201: { description: 'The monitor', content: { 'application/json': { schema: createdMonitorSchema } } },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/monitors/{id}',
    tags: ['Monitors'],
    summary: 'A monitor',
    request: { params: idParam },
    responses: {
      200: { description: 'The monitor', content: { 'application/json': { schema: monitorJsonSchema } } },
      ...errors,
    },
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/monitors/{id}',
    tags: ['Monitors'],
    summary: 'Change a monitor',
    request: { params: idParam, ...jsonBody(updateMonitorSchema) },
    responses: {
      200: { description: 'The monitor', content: { 'application/json': { schema: monitorJsonSchema } } },
      ...errors,
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/api/v1/monitors/{id}',
    tags: ['Monitors'],
    summary: 'Remove a monitor, its results and alerts',
    request: { params: idParam },
    responses: { 204: { description: 'Removed' }, ...errors },
  }),
  results: createRoute({
    method: 'get',
    path: '/api/v1/monitors/{id}/results',
    tags: ['Monitors'],
    summary: "The monitor's runs, newest first, with their values",
    request: {
      params: idParam,
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
    },
    responses: {
      200: {
        description: 'Results',
        content: { 'application/json': { schema: z.object({ results: z.array(monitorResultJsonSchema) }) } },
      },
      ...errors,
    },
  }),
  run: createRoute({
    method: 'post',
    path: '/api/v1/monitors/{id}/run',
    tags: ['Monitors'],
    summary: 'Run the monitor now: queued as a job, or at once with ?wait=true',
    request: { params: idParam, query: z.object({ wait: z.enum(['true', 'false']).optional() }) },
    responses: {
      200: { description: 'The run', content: { 'application/json': { schema: monitorRunJsonSchema } } },
      202: { description: 'The queued job', content: { 'application/json': { schema: jobJsonSchema } } },
      ...errors,
    },
  }),
};

export function monitorJson(monitor: Monitor): MonitorJson {
  const c = monitor.config;
  return {
    id: monitor.id,
    project_id: monitor.projectId,
    deployment_id: monitor.deploymentId,
    name: monitor.name,
    kind: monitor.kind,
    config: {
      ...(c.windowSeconds !== undefined ? { window_seconds: c.windowSeconds } : {}),
      ...(c.baselineFrom !== undefined ? { baseline_from: c.baselineFrom } : {}),
      ...(c.baselineTo !== undefined ? { baseline_to: c.baselineTo } : {}),
      ...(c.baselineSeconds !== undefined ? { baseline_seconds: c.baselineSeconds } : {}),
      ...(c.attribute !== undefined ? { attribute: c.attribute } : {}),
      ...(c.favourable !== undefined ? { favourable: c.favourable } : {}),
      ...(c.referenceGroup !== undefined ? { reference_group: c.referenceGroup } : {}),
    },
    thresholds: monitor.thresholds,
    interval_seconds: monitor.intervalSeconds,
    webhook_url: monitor.webhookUrl,
    enabled: monitor.enabled,
    last_run_at: monitor.lastRunAt?.toISOString() ?? null,
    created_at: monitor.createdAt.toISOString(),
    updated_at: monitor.updatedAt.toISOString(),
  };
}

export function alertJson(alert: Alert): AlertJson {
  return {
    id: alert.id,
    project_id: alert.projectId,
    monitor_id: alert.monitorId,
    incident_id: alert.incidentId,
    metric: alert.metric,
    value: alert.value,
    operator: alert.operator,
    threshold: alert.threshold,
    severity: alert.severity,
    delivery: alert.delivery,
    delivery_attempts: alert.deliveryAttempts,
    delivery_error: alert.deliveryError,
    created_at: alert.createdAt.toISOString(),
  };
}

function resultJson(result: MonitorResult) {
  return {
    id: result.id,
    monitor_id: result.monitorId,
    window_from: result.windowFrom.toISOString(),
    window_to: result.windowTo.toISOString(),
    metrics: result.metrics,
    created_at: result.createdAt.toISOString(),
  };
}

function configOf(config: z.infer<typeof createMonitorSchema>['config']): MonitorConfig | undefined {
  if (!config) return undefined;
  return {
    windowSeconds: config.window_seconds,
    baselineFrom: config.baseline_from,
    baselineTo: config.baseline_to,
    baselineSeconds: config.baseline_seconds,
    attribute: config.attribute,
    favourable: config.favourable,
    referenceGroup: config.reference_group,
  };
}

/** Drops undefined fields (the column stores JSON). */
function compact<T extends object>(value: T | undefined): T | undefined {
  if (!value) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function registerMonitorRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { monitoring, jobs } = services;
  const store = monitoring.monitors;

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const monitors = await store.list(projectId, { deploymentId: c.req.valid('query').deployment_id });
    return json({ monitors: monitors.map(monitorJson) });
  });

  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    const body = c.req.valid('json');
    const { monitor, webhookSecret } = await store.create(caller.projectId, caller.actor, {
      name: body.name,
      kind: body.kind,
      deploymentId: body.deployment_id,
      config: compact(configOf(body.config)),
      thresholds: body.thresholds,
      intervalSeconds: body.interval_seconds,
      webhookUrl: body.webhook_url,
      enabled: body.enabled,
    });
    return json({ ...monitorJson(monitor), webhook_secret: webhookSecret }, 201);
  });

  app.openapi(routes.get, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json(monitorJson(await store.get(projectId, c.req.valid('param').id)));
  });

  app.openapi(routes.update, async (c) => {
    const { projectId } = callerOf(c, 'write');
    const body = c.req.valid('json');
    const monitor = await store.update(projectId, c.req.valid('param').id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.config !== undefined ? { config: compact(configOf(body.config)) } : {}),
      ...(body.thresholds !== undefined ? { thresholds: body.thresholds } : {}),
      ...(body.interval_seconds !== undefined ? { intervalSeconds: body.interval_seconds } : {}),
      ...(body.webhook_url !== undefined ? { webhookUrl: body.webhook_url } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    });
    return json(monitorJson(monitor));
  });

  app.openapi(routes.remove, async (c) => {
    const { projectId } = callerOf(c, 'write');
    await store.remove(projectId, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.results, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const results = await store.results(projectId, c.req.valid('param').id, c.req.valid('query').limit);
    return json({ results: results.map(resultJson) });
  });

  app.openapi(routes.run, async (c) => {
    const caller = callerOf(c, 'write');
    const id = c.req.valid('param').id;
    if (c.req.valid('query').wait === 'true') {
      const run = await monitoring.run(caller.projectId, id);
      return json({ result: resultJson(run.result), alerts: run.alerts.map(alertJson) });
    }
    const monitor = await store.get(caller.projectId, id);
    const job = await monitoring.enqueue(monitor, new Date(), caller.actor);
    return json(jobJson(job, jobs.handler(job.kind)), 202);
  });
}
