/**
 * @module server/routes/data/description-routes
 * Discovery of descriptions: `POST /api/v1/data/tables/{name}/descriptions/draft` has the chosen
 * model draft the table's and its columns' descriptions from what the caller may see (masked
 * columns' samples are not shown to the model), and keeps the draft for review;
 * `POST …/draft/accept` makes it (with a person's edits) the descriptions; `DELETE …/draft`
 * drops it. The table's catalog entry (`GET /api/v1/data/tables/{name}`) shows the draft beside
 * the reviewed descriptions. Editors draft and review.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  acceptDescriptionsRequestSchema,
  dataTableSchema,
  draftDescriptionsRequestSchema,
} from '../../../api/data.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { okJson as ok } from '../route-shapes.js';
import { tableJson } from './table-json.js';

const tags = ['Data'];
const params = z.object({ name: z.string().min(1).max(100) });
const path = '/api/v1/data/tables/{name}/descriptions/draft';

const routes = {
  draft: createRoute({
    method: 'post',
    path,
    tags,
    summary: "Have a model draft the descriptions of a table and its columns, kept for a person's review",
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: draftDescriptionsRequestSchema } } },
    },
    responses: ok(dataTableSchema, 'The table with its draft'),
  }),
  accept: createRoute({
    method: 'post',
    path: `${path}/accept`,
    tags,
    summary: 'Accept the drafted descriptions, with edits, as the descriptions of the table and its columns',
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: acceptDescriptionsRequestSchema } } },
    },
    responses: ok(dataTableSchema, 'The table, described'),
  }),
  discard: createRoute({
    method: 'delete',
    path,
    tags,
    summary: 'Discard the drafted descriptions unreviewed',
    request: { params },
    responses: { 204: { description: 'Discarded' } },
  }),
};

export function registerDataDescriptionRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { data } = services;

  app.openapi(routes.draft, async (c) => {
    const caller = callerOf(c, 'write');
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    const draft = await data.descriptions.draft(caller.projectId, name, {
      model: body.model,
      language: body.language,
      role: caller.role,
      actor: caller.actor,
      signal: caller.signal,
      context: {
        projectId: caller.projectId,
        keyId: caller.keyId,
        endpoint: '/api/v1/data/tables/descriptions/draft',
      },
    });
    return json(tableJson(await data.catalog(caller.projectId, name, caller.role), draft));
  });

  app.openapi(routes.accept, async (c) => {
    const caller = callerOf(c, 'write');
    const { name } = c.req.valid('param');
    await data.descriptions.accept(caller.projectId, name, c.req.valid('json'));
    return json(tableJson(await data.catalog(caller.projectId, name, caller.role), null));
  });

  app.openapi(routes.discard, async (c) => {
    const caller = callerOf(c, 'write');
    await data.descriptions.discard(caller.projectId, c.req.valid('param').name);
    return new Response(null, { status: 204 }) as never;
  });
}
