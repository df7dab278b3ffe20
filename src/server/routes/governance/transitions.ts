/**
 * @module server/routes/governance/transitions
 * `POST /api/v1/assets/{id}/transitions`: move an asset to another lifecycle stage. Out of order,
 * a stale row version, a role that may not, or missing evidence: a coded 409 or 403 naming what.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { assetSchema, transitionSchema } from '../../../api/governance.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json } from '../../respond.js';
import { auditForgedAuthority, govCaller, idParam, jsonBody, ok, tags } from './shared.js';

const route = createRoute({
  method: 'post',
  path: '/api/v1/assets/{id}/transitions',
  tags,
  summary: 'Move an asset to another lifecycle stage (checked: order, role, evidence)',
  request: { params: idParam, ...jsonBody(transitionSchema) },
  responses: ok(assetSchema, 'The asset in its new stage'),
});

export function registerTransitionRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(
    route,
    async (c) => {
      const caller = govCaller(c, 'read');
      const asset = await services.governance.transitions.transition(
        caller,
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return json(services.governance.assetJson(asset));
    },
    auditForgedAuthority(services.audit, 'governance.asset.transition.refused'),
  );
}
