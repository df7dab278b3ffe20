/**
 * @module server/routes/audit
 * `GET /api/v1/audit`: audit records with filters and cursor paging. Organisation admins read every
 * record; admins and validators of a project read that project's (a project named by `project_id`
 * or the X-Keel-Project header narrows the read to it). `GET /api/v1/audit/verify`
 * (organisation admins) checks the whole chain, and records the check in it (`audit.verify.passed`
 * or `audit.verify.failed`, naming the first bad record).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { auditPageSchema, auditQuerySchema, auditVerifySchema } from '../../api/audit.js';
import { auditRecordJson, verifyJson } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { authorize } from '../../platform/principal.js';
import { roleAllows } from '../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { json } from '../respond.js';
import { keelError } from './route-shapes.js';

const errors = {
  400: keelError('Invalid request'),
  403: keelError('Not allowed'),
};

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit',
  tags: ['Audit'],
  summary: 'Audit records, newest first by default',
  request: { query: auditQuerySchema },
  responses: {
    200: { description: 'A page of records', content: { 'application/json': { schema: auditPageSchema } } },
    ...errors,
  },
});

const verifyRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit/verify',
  tags: ['Audit'],
  summary: 'Verify the whole audit chain',
  responses: {
    200: {
      description: 'The verification result; `problem` names the first record that does not fit',
      content: { 'application/json': { schema: auditVerifySchema } },
    },
    403: errors[403],
  },
});

export function registerAudit(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    // A project named by the query or the X-Keel-Project header scopes the read (everyone needs
    // the validate permission there); otherwise org admins read everything, others their projects.
    const requested = query.project_id ?? c.req.header('x-keel-project');
    let visibleProjects: string[] | undefined;
    if (requested) {
      authorize(principal, requested, 'validate');
      visibleProjects = [requested];
    } else if (!principal.orgAdmin) {
      visibleProjects = [...principal.projectRoles]
        .filter(([, role]) => roleAllows(role, 'validate'))
        .map(([projectId]) => projectId);
      if (!visibleProjects.length) {
        throw new KeelError('forbidden', 'Reading the audit log needs the admin or validator role.', {
          data: { permission: 'validate' },
        });
      }
    }
    if (query.since && query.until && new Date(query.since) >= new Date(query.until)) {
      throw new KeelError('invalid_request', '`since` must be before `until`.', {
        issues: [{ code: 'custom', path: ['since'], message: 'must be before until' }],
      });
    }
    const page = await services.audit.query({
      visibleProjects,
      action: query.action,
      actor: query.actor,
      projectId: query.project_id,
      targetType: query.target_type,
      targetId: query.target_id,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
      cursor: query.cursor === undefined ? undefined : Number(query.cursor),
      order: query.order,
      limit: query.limit,
    });
    return json({
      records: page.rows.map(auditRecordJson),
      next_cursor: page.nextCursor === null ? null : String(page.nextCursor),
    });
  });

  app.openapi(verifyRoute, async (c) => {
    if (!c.get('principal').orgAdmin) {
      throw new KeelError('forbidden', 'Verifying the audit chain needs an organisation administrator.');
    }
    return json(verifyJson(await services.audit.verifyAndRecord({ signal: c.req.raw.signal })));
  });
}
