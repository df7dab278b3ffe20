/**
 * @module server/routes/watsonx/text-classification
 * watsonx.ai text classification on Keel's job service: `POST /ml/v1/text/classifications` queues
 * a job that reads a file of the project (`document_reference.location.file_name`) and classifies
 * it into the taxonomy of `parameters.semantic_config.schemas` (merged with predefined types unless
 * `schemas_merge_strategy` is `replace`); `GET` lists and reads them (`results.document_classified`,
 * `results.document_type`), `DELETE` cancels and removes one. `parameters.model_id` (Keel) picks the
 * classifier: the built-in `keel:lexical-classifier` (default), a trained head `head:<name>`, or a
 * chat model. `project_id` (or `space_id`) is required, in the body for a create and in the query
 * otherwise.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TextClassificationService } from '../../../extraction/index.js';
import type { Permission } from '../../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';

const reference = z.looseObject({
  type: z.string().optional(),
  connection: z.looseObject({ id: z.string().optional() }).optional(),
  location: z.looseObject({ file_name: z.string().optional(), path: z.string().optional() }).optional(),
});

const schema = z.looseObject({
  document_type: z.string().trim().min(1).max(200),
  document_description: z.string().max(4_000),
  fields: z.record(z.string(), z.unknown()).optional(),
});

const parameters = z.looseObject({
  ocr_mode: z.enum(['disabled', 'enabled', 'forced']).optional(),
  classification_mode: z.enum(['exact', 'binary']).optional(),
  auto_rotation_correction: z.boolean().optional(),
  languages: z.array(z.string()).optional(),
  semantic_config: z
    .looseObject({
      schemas_merge_strategy: z.enum(['merge', 'replace']).optional(),
      schemas: z.array(schema).max(200).optional(),
    })
    .optional(),
  model_id: z
    .string()
    .min(1)
    .optional()
    .describe('Keel: keel:lexical-classifier (default), head:<name>, or a chat model provider:model'),
});

const createBody = z.looseObject({
  document_reference: reference,
  parameters,
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

export function registerTextClassification(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { classification } = services as KeelServices & { classification: TextClassificationService };
  const base = '/ml/v1/text/classifications';
  const tags = ['watsonx.ai-compatible'];

  app.openapi(
    createRoute({
      method: 'post',
      path: base,
      tags,
      summary: 'Start a text classification (a job) of a file in the project into a taxonomy',
      request: {
        query: contextQuery,
        body: { required: true, content: { 'application/json': { schema: createBody } } },
      },
      responses: { 201: answer('The classification, submitted', resource) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const body = c.req.valid('json');
      const who = caller(c, 'write', body, 'body');
      return json(await classification.create(who.projectId, who.actor, body), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: base,
      tags,
      summary: 'List the text classifications of a project',
      request: { query: listQuery },
      responses: {
        200: answer('Classifications, newest first', z.looseObject({ resources: z.array(resource) })),
      },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const query = c.req.valid('query');
      const who = caller(c, 'read', query, 'query');
      const page = await classification.list(who.projectId, { start: query.start, limit: query.limit });
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
      summary: 'A text classification: its status, the document type found and any error',
      request: { params: z.object({ id: z.string().min(1) }), query: contextQuery },
      responses: { 200: answer('The classification', resource) },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const who = caller(c, 'read', c.req.valid('query'), 'query');
      return json(await classification.get(who.projectId, c.req.valid('param').id));
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      summary: 'Cancel a text classification and remove it',
      request: { params: z.object({ id: z.string().min(1) }), query: deleteQuery },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      c.set('errorFormat', 'watsonx');
      const query = c.req.valid('query');
      const who = caller(c, 'write', query, 'query');
      await classification.delete(who.projectId, c.req.valid('param').id, {
        hardDelete: query.hard_delete === 'true',
      });
      return new Response(null, { status: 204 }) as never;
    },
  );
}
