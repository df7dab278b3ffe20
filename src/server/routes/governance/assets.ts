/**
 * @module server/routes/governance/assets
 * `/api/v1/assets`: assets tracked under a use case's approach (models, template versions, RAG
 * collection configurations, evaluation runs, deployments, guardrail policies, datasets, external
 * models), their history, validation reports, and the gate check.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  assetSchema,
  gateResultSchema,
  historyEntrySchema,
  listAssetsQuerySchema,
  trackAssetSchema,
  validationReportSchema,
} from '../../../api/governance.js';
import { parseAssetRef } from '../../../governance/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json } from '../../respond.js';
import { created, govCaller, idParam, jsonBody, ok, tags } from './shared.js';

const routes = {
  track: createRoute({
    method: 'post',
    path: '/api/v1/assets',
    tags,
    summary:
      'Track an asset under a use case approach (external models with their endpoint; evaluation results as JSON)',
    request: jsonBody(trackAssetSchema),
    responses: created(assetSchema, 'The asset, in the idea stage'),
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/assets',
    tags,
    summary: 'Tracked assets (the lifecycle board)',
    request: { query: listAssetsQuerySchema },
    responses: ok(z.object({ assets: z.array(assetSchema) }), 'Assets'),
  }),
  gate: createRoute({
    method: 'get',
    path: '/api/v1/assets/gate',
    tags,
    summary: 'May this asset serve production? (`ref` as kind:ref or kind:ref@version)',
    request: { query: z.strictObject({ ref: z.string().min(1).max(600) }) },
    responses: ok(gateResultSchema, 'The gate answer'),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/assets/{id}',
    tags,
    summary: 'A tracked asset with its stage, phase and allowed next stages',
    request: { params: idParam },
    responses: ok(assetSchema, 'The asset'),
  }),
  history: createRoute({
    method: 'get',
    path: '/api/v1/assets/{id}/history',
    tags,
    summary: "The asset's history: creation, changes, transitions, reports",
    request: { params: idParam },
    responses: ok(z.object({ history: z.array(historyEntrySchema) }), 'History'),
  }),
  report: createRoute({
    method: 'post',
    path: '/api/v1/assets/{id}/validation-report',
    tags,
    summary: "A validator's report on the current revision (evidence for approval)",
    request: { params: idParam, ...jsonBody(validationReportSchema) },
    responses: ok(assetSchema, 'The asset'),
  }),
};

export function registerAssetRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { governance } = services;

  app.openapi(routes.track, async (c) => {
    const caller = govCaller(c, 'write');
    return json(governance.assetJson(await governance.trackAsset(caller, c.req.valid('json'))), 201);
  });

  app.openapi(routes.list, async (c) => {
    const caller = govCaller(c, 'read');
    const rows = await governance.inventory.listAssets(caller.projectId, c.req.valid('query'));
    return json({ assets: rows.map(governance.assetJson) });
  });

  app.openapi(routes.gate, async (c) => {
    const caller = govCaller(c, 'read');
    return json(await governance.gate.check(caller.projectId, parseAssetRef(c.req.valid('query').ref)));
  });

  app.openapi(routes.get, async (c) => {
    const caller = govCaller(c, 'read');
    return json(
      governance.assetJson(await governance.inventory.asset(caller.projectId, c.req.valid('param').id)),
    );
  });

  app.openapi(routes.history, async (c) => {
    const caller = govCaller(c, 'read');
    const { id } = c.req.valid('param');
    await governance.inventory.asset(caller.projectId, id);
    return json({ history: await governance.inventory.historyOf(caller.projectId, id) });
  });

  app.openapi(routes.report, async (c) => {
    const caller = govCaller(c, 'read');
    const asset = await governance.transitions.report(caller, c.req.valid('param').id, c.req.valid('json'));
    return json(governance.assetJson(asset));
  });
}
