/**
 * @module server/routes/data/governance-routes
 * Column tags and masking policies of the project's tables: `PUT
 * /api/v1/data/tables/{name}/columns/{column}/tags`, `GET /api/v1/data/tables/{name}/tag-suggestions`
 * (the PII detectors over sampled values), and `/api/v1/data/masking-policies`. Editors tag
 * columns; masking policies, which decide what other roles see, need `manage`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  dataColumnTagsSchema,
  dataTagSuggestionSchema,
  maskingPolicyRequestSchema,
  maskingPolicySchema,
} from '../../../api/data.js';
import { KeelError } from '../../../core/errors.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, okJson as ok } from '../route-shapes.js';

const tags = ['Data'];
const tableParam = z.object({ name: z.string().min(1).max(100) });

const routes = {
  setTags: createRoute({
    method: 'put',
    path: '/api/v1/data/tables/{name}/columns/{column}/tags',
    tags,
    summary: "Set a column's tags (pii, sensitive or custom words)",
    request: {
      params: tableParam.extend({ column: z.string().min(1).max(200) }),
      body: { required: true, content: { 'application/json': { schema: dataColumnTagsSchema } } },
    },
    responses: ok(dataColumnTagsSchema, "The column's tags"),
  }),
  suggest: createRoute({
    method: 'get',
    path: '/api/v1/data/tables/{name}/tag-suggestions',
    tags,
    summary: 'Tags suggested by the PII detectors run over sampled values (types and shares, never values)',
    request: { params: tableParam },
    responses: ok(z.object({ suggestions: z.array(dataTagSuggestionSchema) }), 'Suggestions'),
  }),
  listPolicies: createRoute({
    method: 'get',
    path: '/api/v1/data/masking-policies',
    tags,
    summary: "The project's masking policies",
    responses: ok(z.object({ policies: z.array(maskingPolicySchema) }), 'Policies'),
  }),
  addPolicy: createRoute({
    method: 'post',
    path: '/api/v1/data/masking-policies',
    tags,
    summary: 'Mask a tag (or one column) for some roles: hash, partial, null or redact',
    request: {
      body: { required: true, content: { 'application/json': { schema: maskingPolicyRequestSchema } } },
    },
    responses: {
      201: { description: 'The policy', content: { 'application/json': { schema: maskingPolicySchema } } },
      ...errors,
    },
  }),
  removePolicy: createRoute({
    method: 'delete',
    path: '/api/v1/data/masking-policies/{id}',
    tags,
    summary: 'Remove a masking policy',
    request: { params: z.object({ id: z.string().min(1).max(100) }) },
    responses: { 204: { description: 'Removed' }, ...errors },
  }),
};

export function registerDataGovernanceRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { data } = services;

  app.openapi(routes.setTags, async (c) => {
    const caller = callerOf(c, 'write');
    const { name, column } = c.req.valid('param');
    const source = await data.source(caller.projectId, name);
    const table = await data.catalog(caller.projectId, source.name, 'admin');
    const known = table.columns.find((entry) => entry.name.toLowerCase() === column.toLowerCase());
    if (!known) {
      throw new KeelError('not_found', `No column "${column}" in ${source.name}.`, {
        issues: [{ code: 'unknown_column', path: ['column'], message: `unknown column ${column}` }],
      });
    }
    const all = await data.governance.setTags(
      caller.projectId,
      source.name,
      known.name,
      c.req.valid('json').tags,
      caller.actor,
    );
    return json({
      tags: all.filter((tag) => tag.table === source.name && tag.column === known.name).map((tag) => tag.tag),
    });
  });

  app.openapi(routes.suggest, async (c) => {
    const { projectId } = callerOf(c, 'write');
    return json({ suggestions: await data.suggestTags(projectId, c.req.valid('param').name) });
  });

  app.openapi(routes.listPolicies, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ policies: (await data.governance.snapshot(projectId)).policies });
  });

  app.openapi(routes.addPolicy, async (c) => {
    const caller = callerOf(c, 'manage');
    const body = c.req.valid('json');
    if (body.table && body.column) {
      // The column must exist: a policy on a misspelt column would mask nothing.
      const table = await data.catalog(caller.projectId, body.table, 'admin');
      if (!table.columns.some((column) => column.name === body.column)) {
        throw new KeelError('not_found', `No column "${body.column}" in ${body.table}.`, {
          issues: [{ code: 'unknown_column', path: ['column'], message: `unknown column ${body.column}` }],
        });
      }
    }
    return json(await data.governance.addPolicy(caller.projectId, body, caller.actor), 201);
  });

  app.openapi(routes.removePolicy, async (c) => {
    const { projectId } = callerOf(c, 'manage');
    await data.governance.removePolicy(projectId, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });
}
