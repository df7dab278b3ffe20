/**
 * @module server/routes/guardrails/policies
 * `/api/v1/guardrails/policies` (named policies of the project; `default` applies to every model
 * call that names none), `/api/v1/guardrails/decisions` (what the policies did, hashes only) and
 * the restore of a sealed pseudonym mapping for roles the policy allows.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { decisionSchema, policyNameSchema, storedPolicySchema } from '../../../api/guardrails.js';
import type { StoredPolicy } from '../../../guardrails/guardrail-service.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors } from '../route-shapes.js';

const nameParam = z.object({ name: policyNameSchema });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/guardrails/policies',
    tags: ['Guardrails'],
    summary: 'List guardrail policies',
    responses: {
      200: {
        description: 'Policies',
        content: { 'application/json': { schema: z.object({ policies: z.array(storedPolicySchema) }) } },
      },
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/guardrails/policies/{name}',
    tags: ['Guardrails'],
    summary: 'Get a guardrail policy',
    request: { params: nameParam },
    responses: {
      200: { description: 'The policy', content: { 'application/json': { schema: storedPolicySchema } } },
      ...errors,
    },
  }),
  put: createRoute({
    method: 'put',
    path: '/api/v1/guardrails/policies/{name}',
    tags: ['Guardrails'],
    summary: 'Create or replace a guardrail policy (name it "default" to apply it to every call)',
    request: {
      params: nameParam,
      body: {
        required: true,
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
    },
    responses: {
      200: {
        description: 'The saved policy',
        content: { 'application/json': { schema: storedPolicySchema } },
      },
      ...errors,
    },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/guardrails/policies/{name}',
    tags: ['Guardrails'],
    summary: 'Delete a guardrail policy',
    request: { params: nameParam },
    responses: { 204: { description: 'Deleted' }, ...errors },
  }),
  decisions: createRoute({
    method: 'get',
    path: '/api/v1/guardrails/decisions',
    tags: ['Guardrails'],
    summary: 'Recent guardrail decisions of the project',
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        since: z.iso.datetime({ offset: true }).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Decisions, newest first',
        content: { 'application/json': { schema: z.object({ decisions: z.array(decisionSchema) }) } },
      },
      ...errors,
    },
  }),
  mapping: createRoute({
    method: 'get',
    path: '/api/v1/guardrails/pseudonyms/{id}',
    tags: ['Guardrails'],
    summary: 'Open a sealed pseudonym mapping (administrators)',
    request: { params: z.object({ id: z.string().min(1) }) },
    responses: {
      200: {
        description: 'Placeholder → value',
        content: {
          'application/json': {
            schema: z.object({ id: z.string(), entries: z.record(z.string(), z.string()) }),
          },
        },
      },
      ...errors,
    },
  }),
};

function policyJson(policy: StoredPolicy) {
  return {
    name: policy.name,
    version: policy.version,
    policy: policy.body,
    created_at: policy.createdAt.toISOString(),
    updated_at: policy.updatedAt.toISOString(),
  };
}

export function registerGuardrailPolicies(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(routes.list, async (c) => {
    const scope = projectScope(c, 'read');
    return json({ policies: (await services.guardrails.listPolicies(scope.projectId)).map(policyJson) });
  });
  app.openapi(routes.get, async (c) => {
    const scope = projectScope(c, 'read');
    return json(policyJson(await services.guardrails.getPolicy(scope.projectId, c.req.valid('param').name)));
  });
  app.openapi(routes.put, async (c) => {
    // Policies decide what reaches models: changing them is an administrator's call.
    const scope = projectScope(c, 'manage');
    const principal = c.get('principal');
    return json(
      policyJson(
        await services.guardrails.putPolicy(
          scope.projectId,
          c.req.valid('param').name,
          c.req.valid('json'),
          principal.userId ?? principal.keyId,
        ),
      ),
    );
  });
  app.openapi(routes.delete, async (c) => {
    const scope = projectScope(c, 'manage');
    await services.guardrails.deletePolicy(scope.projectId, c.req.valid('param').name);
    return new Response(null, { status: 204 }) as never;
  });
  app.openapi(routes.decisions, async (c) => {
    const scope = projectScope(c, 'read');
    const query = c.req.valid('query');
    const rows = await services.guardrails.decisions(scope.projectId, {
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.since ? { since: new Date(query.since) } : {}),
    });
    return json({
      decisions: rows.map((row) => ({ ...row, created_at: (row.created_at as Date).toISOString() })),
    });
  });
  app.openapi(routes.mapping, async (c) => {
    const scope = projectScope(c, 'manage');
    const id = c.req.valid('param').id;
    return json({ id, entries: await services.guardrails.openMapping(scope.projectId, id) });
  });
}
