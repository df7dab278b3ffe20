/**
 * @module server/routes/governance/approvals
 * `/api/v1/approvals`: go / no-go decisions (final; a reversal supersedes), the decisions made and
 * the approval queue (`view=pending`: assets in the approve stage still waiting for a decision).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  approvalSchema,
  assetSchema,
  createApprovalSchema,
  listApprovalsQuerySchema,
} from '../../../api/governance.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json } from '../../respond.js';
import { auditForgedAuthority, created, govCaller, idParam, jsonBody, ok, tags } from './shared.js';

const missingSchema = z.array(z.object({ code: z.string(), message: z.string() }));

const routes = {
  decide: createRoute({
    method: 'post',
    path: '/api/v1/approvals',
    tags,
    summary: 'Record a go / no-go decision on an asset in the approve stage',
    request: jsonBody(createApprovalSchema),
    responses: created(
      z.object({ approval: approvalSchema, approved: z.boolean(), missing: missingSchema }),
      'The decision, and whether the asset is now approved',
    ),
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/approvals',
    tags,
    summary: 'Decisions (newest first), or the approval queue with view=pending',
    request: { query: listApprovalsQuerySchema },
    responses: ok(
      z.object({ approvals: z.array(approvalSchema), pending: z.array(assetSchema).optional() }),
      'Decisions or the queue',
    ),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/approvals/{id}',
    tags,
    summary: 'One decision',
    request: { params: idParam },
    responses: ok(approvalSchema, 'The decision'),
  }),
};

export function registerApprovalRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { governance } = services;

  app.openapi(
    routes.decide,
    async (c) => {
      const caller = govCaller(c, 'read');
      return json(await governance.approvals.decide(caller, c.req.valid('json')), 201);
    },
    auditForgedAuthority(services.audit, 'governance.approval.refused'),
  );

  app.openapi(routes.list, async (c) => {
    const caller = govCaller(c, 'read');
    const query = c.req.valid('query');
    if (query.view === 'pending') {
      const pending = await governance.approvals.queue(caller.projectId, query.use_case_id);
      return json({ approvals: [], pending: pending.map(governance.assetJson) });
    }
    return json({ approvals: await governance.approvals.list(caller.projectId, query) });
  });

  app.openapi(routes.get, async (c) => {
    const caller = govCaller(c, 'read');
    return json(await governance.approvals.get(caller.projectId, c.req.valid('param').id));
  });
}
