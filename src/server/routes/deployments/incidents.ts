/**
 * @module server/routes/deployments/incidents
 * `/api/v1/alerts` (what monitors raised, with webhook delivery) and `/api/v1/incidents` (open →
 * acknowledged → resolved, with notes). Viewers read; editors acknowledge, resolve and annotate.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  alertJsonSchema,
  type IncidentJson,
  incidentChangeSchema,
  incidentJsonSchema,
  incidentStatusSchema,
} from '../../../api/monitors.js';
import type { Incident } from '../../../deployments/monitoring/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelError, keelErrors } from '../route-shapes.js';
import { alertJson } from './monitors.js';

const errors = { ...keelErrors, 409: keelError('Conflict') };
const idParam = z.object({ id: z.string().min(1).max(100) });

const routes = {
  alerts: createRoute({
    method: 'get',
    path: '/api/v1/alerts',
    tags: ['Alerts'],
    summary: 'Alerts raised by the project’s monitors, newest first',
    request: {
      query: z.object({
        monitor_id: z.string().min(1).max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Alerts',
        content: { 'application/json': { schema: z.object({ alerts: z.array(alertJsonSchema) }) } },
      },
      ...errors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/incidents',
    tags: ['Incidents'],
    summary: "The project's incidents, newest first",
    request: { query: z.object({ status: incidentStatusSchema.optional() }) },
    responses: {
      200: {
        description: 'Incidents',
        content: { 'application/json': { schema: z.object({ incidents: z.array(incidentJsonSchema) }) } },
      },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/incidents/{id}',
    tags: ['Incidents'],
    summary: 'An incident with its notes',
    request: { params: idParam },
    responses: {
      200: { description: 'The incident', content: { 'application/json': { schema: incidentJsonSchema } } },
      ...errors,
    },
  }),
  change: createRoute({
    method: 'patch',
    path: '/api/v1/incidents/{id}',
    tags: ['Incidents'],
    summary: 'Acknowledge or resolve an incident, and/or add a note',
    request: {
      params: idParam,
      body: { content: { 'application/json': { schema: incidentChangeSchema } }, required: true },
    },
    responses: {
      200: { description: 'The incident', content: { 'application/json': { schema: incidentJsonSchema } } },
      ...errors,
    },
  }),
};

export function incidentJson(incident: Incident): IncidentJson {
  return {
    id: incident.id,
    project_id: incident.projectId,
    monitor_id: incident.monitorId,
    deployment_id: incident.deploymentId,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    notes: incident.notes,
    created_at: incident.createdAt.toISOString(),
    acknowledged_at: incident.acknowledgedAt?.toISOString() ?? null,
    resolved_at: incident.resolvedAt?.toISOString() ?? null,
    updated_at: incident.updatedAt.toISOString(),
  };
}

export function registerIncidentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { alerts, incidents } = services;

  app.openapi(routes.alerts, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const query = c.req.valid('query');
    const list = await alerts.list(projectId, { monitorId: query.monitor_id, limit: query.limit });
    return json({ alerts: list.map(alertJson) });
  });

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const list = await incidents.list(projectId, { status: c.req.valid('query').status });
    return json({ incidents: list.map(incidentJson) });
  });

  app.openapi(routes.get, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json(incidentJson(await incidents.get(projectId, c.req.valid('param').id)));
  });

  app.openapi(routes.change, async (c) => {
    const caller = callerOf(c, 'write');
    const id = c.req.valid('param').id;
    const body = c.req.valid('json');
    const incident = body.status
      ? await incidents.transition(caller.projectId, id, body.status, caller.actor, body.note)
      : await incidents.addNote(caller.projectId, id, caller.actor, body.note!);
    return json(incidentJson(incident));
  });
}
