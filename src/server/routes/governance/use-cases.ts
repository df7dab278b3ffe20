/**
 * @module server/routes/governance/use-cases
 * `/api/v1/use-cases`: the AI use-case inventory (filters: status, tag, risk tier, text) and each
 * use case's versioned approaches.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  approachSchema,
  createApproachSchema,
  createUseCaseSchema,
  listUseCasesQuerySchema,
  updateUseCaseSchema,
  useCaseSchema,
} from '../../../api/governance.js';
import { approachJson, toUseCaseJson } from '../../../governance/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json } from '../../respond.js';
import { created, govCaller, idParam, jsonBody, ok, tags } from './shared.js';

const routes = {
  create: createRoute({
    method: 'post',
    path: '/api/v1/use-cases',
    tags,
    summary: 'Register an AI use case (with its first approach)',
    request: jsonBody(createUseCaseSchema),
    responses: created(useCaseSchema, 'The use case'),
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/use-cases',
    tags,
    summary: 'The use-case inventory',
    request: { query: listUseCasesQuerySchema },
    responses: ok(z.object({ use_cases: z.array(useCaseSchema) }), 'Use cases'),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/use-cases/{id}',
    tags,
    summary: 'A use case (by id or name) with its approaches and risk tier',
    request: { params: idParam },
    responses: ok(useCaseSchema, 'The use case'),
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/use-cases/{id}',
    tags,
    summary: 'Change purpose, owner, tags or status',
    request: { params: idParam, ...jsonBody(updateUseCaseSchema) },
    responses: ok(useCaseSchema, 'The use case'),
  }),
  addApproach: createRoute({
    method: 'post',
    path: '/api/v1/use-cases/{id}/approaches',
    tags,
    summary: 'Add the next approach version (with its evaluation thresholds)',
    request: { params: idParam, ...jsonBody(createApproachSchema) },
    responses: created(approachSchema, 'The approach'),
  }),
};

export function registerUseCaseRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { governance } = services;

  app.openapi(routes.create, async (c) => {
    const caller = govCaller(c, 'write');
    const row = await governance.inventory.createUseCase(caller, c.req.valid('json'));
    return json(await governance.describeUseCase(caller.projectId, row.id), 201);
  });

  app.openapi(routes.list, async (c) => {
    const caller = govCaller(c, 'read');
    const query = c.req.valid('query');
    const rows = await governance.inventory.listUseCases(caller.projectId, query);
    const approaches = await governance.inventory.approaches(rows.map((row) => row.id));
    const out = [];
    for (const row of rows) {
      const risk = await governance.risk.latest(caller.projectId, row.id);
      const tier = risk ? (risk.prohibited ? 'prohibited' : risk.tier) : null;
      if (query.risk_tier && tier !== query.risk_tier) continue;
      out.push(
        toUseCaseJson(
          row,
          approaches.get(row.id) ?? [],
          risk && { tier, koreaHighImpact: risk.koreaHighImpact },
        ),
      );
    }
    return json({ use_cases: out });
  });

  app.openapi(routes.get, async (c) => {
    const caller = govCaller(c, 'read');
    return json(await governance.describeUseCase(caller.projectId, c.req.valid('param').id));
  });

  app.openapi(routes.update, async (c) => {
    const caller = govCaller(c, 'write');
    const row = await governance.inventory.updateUseCase(
      caller,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    governance.gate.invalidate(caller.projectId);
    return json(await governance.describeUseCase(caller.projectId, row.id));
  });

  app.openapi(routes.addApproach, async (c) => {
    const caller = govCaller(c, 'write');
    const approach = await governance.inventory.addApproach(
      caller,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return json(approachJson(approach), 201);
  });
}
