/**
 * @module server/routes/watsonx/text-extraction
 * watsonx.ai text extraction on Keel's job service: `POST /ml/v1/text/extractions` queues a job
 * that reads a file of the project (`document_reference.location.file_name`) and writes Markdown
 * or JSON to `results_reference.location.file_name`; `GET` lists and reads them, `DELETE` cancels
 * and removes one. `project_id` (or `space_id`) is required, in the body for a create and in the
 * query otherwise. Documents get into the project through `PUT /api/v1/files/{name}`
 * (text-extraction-files.ts). `results_reference.location.collection` (Keel) also adds the Markdown
 * to a RAG collection of the project, with its tables and page numbers.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TextExtractionService } from '../../../extraction/index.js';
import type { Permission } from '../../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';

const reference = z.looseObject({
  type: z.string().optional(),
  connection: z.looseObject({ id: z.string().optional() }).optional(),
  location: z
    .looseObject({
      file_name: z.string().optional(),
      path: z.string().optional(),
      collection: z
        .string()
        .min(1)
        .optional()
        .describe('Keel, in results_reference: a RAG collection of the project that ingests the Markdown'),
    })
    .optional(),
});

const createBody = z.looseObject({
  document_reference: reference,
  results_reference: reference,
  steps: z.record(z.string(), z.unknown()).optional(),
  assembly_json: z.record(z.string(), z.unknown()).optional(),
  assembly_md: z.record(z.string(), z.unknown()).optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
});

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

const resource = z.looseObject({ metadata: z.looseObject({ id: z.string() }), entity: z.looseObject({}) });
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

export function registerTextExtraction(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { extraction } = services as KeelServices & { extraction: TextExtractionService };
  const base = '/ml/v1/text/extractions';
  const tags = ['watsonx.ai-compatible'];

  app.openapi(
    createRoute({
      method: 'post',
      path: base,
      tags,
      summary: 'Start a text extraction (a job) of a file in the project',
      request: {
        query: contextQuery,
        body: { required: true, content: { 'application/json': { schema: createBody } } },
      },
      responses: { 201: answer('The extraction, submitted', resource) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const body = c.req.valid('json');
      const who = caller(c, 'write', body, 'body');
      return json(await extraction.create(who.projectId, who.actor, body), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: base,
      tags,
      summary: 'List the text extractions of a project',
      request: { query: listQuery },
      responses: {
        200: answer('Extractions, newest first', z.looseObject({ resources: z.array(resource) })),
      },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const query = c.req.valid('query');
      const who = caller(c, 'read', query, 'query');
      const page = await extraction.list(who.projectId, { start: query.start, limit: query.limit });
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
      summary: 'A text extraction: its status, pages processed and any error',
      request: { params: z.object({ id: z.string().min(1) }), query: contextQuery },
      responses: { 200: answer('The extraction', resource) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const who = caller(c, 'read', c.req.valid('query'), 'query');
      return json(await extraction.get(who.projectId, c.req.valid('param').id));
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      summary: 'Cancel a text extraction and remove it',
      request: { params: z.object({ id: z.string().min(1) }), query: deleteQuery },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const query = c.req.valid('query');
      const who = caller(c, 'write', query, 'query');
      await extraction.delete(who.projectId, c.req.valid('param').id, {
        hardDelete: query.hard_delete === 'true',
      });
      return new Response(null, { status: 204 }) as never;
    },
  );
}
