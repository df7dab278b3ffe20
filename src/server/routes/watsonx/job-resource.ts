/**
 * @module server/routes/watsonx/job-resource
 * The four routes of a watsonx.ai job resource on Keel's job service (text extractions, text
 * classifications): `POST <base>` queues a job, `GET <base>` lists a project's jobs newest first
 * with watsonx's `first`/`next` links, `GET <base>/{id}` reads one, `DELETE <base>/{id}` cancels
 * and removes it (`hard_delete`). `project_id` (or `space_id`) is required, in the body for a
 * create and in the query otherwise; errors answer in watsonx's format.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Permission } from '../../../platform/roles.js';
import type { KeelEnv } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';

/** What a job resource's service does; `create` takes the validated body. */
export interface WatsonxJobService<Body> {
  create(projectId: string, actor: string | null, body: Body): Promise<unknown>;
  list(
    projectId: string,
    options: { start?: string | undefined; limit?: number | undefined },
  ): Promise<{ limit: number; next?: { start: string } | undefined } & Record<string, unknown>>;
  get(projectId: string, id: string): Promise<unknown>;
  delete(projectId: string, id: string, options: { hardDelete?: boolean }): Promise<void>;
}

export interface WatsonxJobResource<Body> {
  /** e.g. `/ml/v1/text/extractions`. */
  base: string;
  /** The body of a create; must carry `project_id`/`space_id` as optional strings. */
  createBody: z.ZodType<Body & { project_id?: string | undefined; space_id?: string | undefined }>;
  service: WatsonxJobService<Body>;
  summaries: {
    create: string;
    created: string;
    list: string;
    listed: string;
    get: string;
    got: string;
    delete: string;
  };
}

const contextQuery = z.object({
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
  version: z.string().optional(),
});
const listQuery = contextQuery.extend({
  start: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const deleteQuery = contextQuery.extend({ hard_delete: z.enum(['true', 'false']).optional() });
const idParam = z.object({ id: z.string().min(1) });
const resource = z.looseObject({ metadata: z.looseObject({ id: z.string() }), entity: z.looseObject({}) });
const tags = ['watsonx.ai-compatible'];

const answer = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

function caller(
  c: Context<KeelEnv>,
  permission: Permission,
  ids: { project_id?: string | undefined; space_id?: string | undefined },
  where: 'body' | 'query',
) {
  const scope = projectScope(c, permission, requiredContextId(ids.project_id, ids.space_id, where));
  const principal = c.get('principal');
  return { projectId: scope.projectId, actor: principal.userId ?? principal.keyId ?? null };
}

export function registerWatsonxJobResource<Body>(
  app: OpenAPIHono<KeelEnv>,
  { base, createBody, service, summaries }: WatsonxJobResource<Body>,
): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: base,
      tags,
      summary: summaries.create,
      request: {
        query: contextQuery,
        body: { required: true, content: { 'application/json': { schema: createBody } } },
      },
      responses: { 201: answer(summaries.created, resource) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const body = c.req.valid('json') as Body & { project_id?: string; space_id?: string };
      const who = caller(c, 'write', body, 'body');
      return json(await service.create(who.projectId, who.actor, body), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: base,
      tags,
      summary: summaries.list,
      request: { query: listQuery },
      responses: { 200: answer(summaries.listed, z.looseObject({ resources: z.array(resource) })) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const query = c.req.valid('query');
      const who = caller(c, 'read', query, 'query');
      const page = await service.list(who.projectId, { start: query.start, limit: query.limit });
      const href = `${base}?${new URLSearchParams({ project_id: who.projectId, limit: String(page.limit) })}`;
      return json({
        ...page,
        first: { href },
        ...(page.next ? { next: { href: `${href}&start=${page.next.start}`, start: page.next.start } } : {}),
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}/{id}`,
      tags,
      summary: summaries.get,
      request: { params: idParam, query: contextQuery },
      responses: { 200: answer(summaries.got, resource) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const who = caller(c, 'read', c.req.valid('query'), 'query');
      return json(await service.get(who.projectId, c.req.valid('param').id));
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      summary: summaries.delete,
      request: { params: idParam, query: deleteQuery },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const query = c.req.valid('query');
      const who = caller(c, 'write', query, 'query');
      await service.delete(who.projectId, c.req.valid('param').id, {
        hardDelete: query.hard_delete === 'true',
      });
      return new Response(null, { status: 204 }) as never;
    },
  );
}
