/**
 * @module server/routes/data
 * `/api/v1/data`: the project's data sources (multipart upload of CSV, Parquet or JSON files, or
 * an allowed local path as JSON), the catalog with editable descriptions, and read-only SQL
 * (results as JSON, in pages (query-page-routes.ts), or streamed CSV, NDJSON, Parquet or Arrow
 * exports), masked for the caller's role.
 * Questions (ask-routes.ts), tags and masking policies (governance-routes.ts), join keys
 * (join-routes.ts) and tables as RAG sources (rag-source-routes.ts) live beside it.
 * Viewers read and query; editors add, describe and remove sources.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  addLocalSourceSchema,
  dataFormatSchema,
  dataQueryRequestSchema,
  dataQueryResponseSchema,
  dataSourceSchema,
  dataTableSchema,
  describeTableSchema,
} from '../../../api/data.js';
import { keelErrorSchema } from '../../../api/platform.js';
import { KeelError } from '../../../core/errors.js';
import type { SourceRow } from '../../../data/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { apiSecurityHeaders } from '../../middleware/security-headers.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, okJson as ok } from '../route-shapes.js';
import { registerDataAskRoutes } from './ask-routes.js';
import { registerDataDescriptionRoutes } from './description-routes.js';
import { registerDataGovernanceRoutes } from './governance-routes.js';
import { registerDataJoinRoutes } from './join-routes.js';
import { queryAnswer, queryRequest } from './query-lane.js';
import { registerDataQueryPageRoutes } from './query-page-routes.js';
import { registerDataRagSourceRoutes } from './rag-source-routes.js';
import { draftOf, tableJson } from './table-json.js';

/** Source uploads carry whole files: their own body limit (app.ts). */
export const dataSourceUploadPath = /^\/api\/v1\/data\/sources$/;

const nameParam = z.object({ name: z.string().min(1).max(100) });
const tags = ['Data'];

const routes = {
  add: createRoute({
    method: 'post',
    path: '/api/v1/data/sources',
    tags,
    summary:
      'Add a source: a file as multipart/form-data (fields file, name, format, table, description) or a local path as JSON (a CSV, Parquet or JSON file, a folder of them, or a DuckDB or SQLite database file) or a URL',
    request: {
      body: {
        required: false,
        content: {
          'application/json': { schema: addLocalSourceSchema },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
              name: z.string().optional(),
              format: z.string().optional(),
              table: z.string().optional(),
              description: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: { description: 'The source', content: { 'application/json': { schema: dataSourceSchema } } },
      ...errors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/data/sources',
    tags,
    summary: "The project's sources (one table each)",
    responses: ok(z.object({ sources: z.array(dataSourceSchema) }), 'Sources'),
  }),
  remove: createRoute({
    method: 'delete',
    path: '/api/v1/data/sources/{name}',
    tags,
    summary: 'Remove a source (an uploaded file is deleted)',
    request: { params: nameParam },
    responses: { 204: { description: 'Removed' }, ...errors },
  }),
  refresh: createRoute({
    method: 'post',
    path: '/api/v1/data/sources/{name}/refresh',
    tags,
    summary: "Read a PostgreSQL source's table again into a new snapshot",
    request: { params: nameParam },
    responses: ok(dataSourceSchema, 'The source'),
  }),
  table: createRoute({
    method: 'get',
    path: '/api/v1/data/tables/{name}',
    tags,
    summary: "A table's catalog entry: columns, types, row count, null rates, samples, descriptions",
    request: { params: nameParam },
    responses: ok(dataTableSchema, 'The table'),
  }),
  describe: createRoute({
    method: 'patch',
    path: '/api/v1/data/tables/{name}',
    tags,
    summary: 'Edit the descriptions of a table and its columns',
    request: {
      params: nameParam,
      body: { required: true, content: { 'application/json': { schema: describeTableSchema } } },
    },
    responses: ok(dataSourceSchema, 'The source'),
  }),
  query: createRoute({
    method: 'post',
    path: '/api/v1/data/query',
    tags,
    summary:
      'Run one read-only SELECT over the project tables, masked for the caller (row and time limits; JSON, paged JSON, or a streamed CSV, NDJSON, Parquet or Arrow export)',
    request: {
      body: { required: true, content: { 'application/json': { schema: dataQueryRequestSchema } } },
    },
    responses: {
      ...ok(dataQueryResponseSchema, 'The result'),
      504: {
        description: 'Time limit reached',
        content: { 'application/json': { schema: keelErrorSchema } },
      },
    },
  }),
};

function sourceJson(row: SourceRow) {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    origin: row.origin,
    table: row.source_table,
    size_bytes: Number(row.size_bytes),
    description: row.description,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

async function uploadedSource(c: Context<KeelEnv>) {
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File)) {
    throw new KeelError('invalid_request', 'Send the data as a multipart "file" field.', {
      issues: [{ code: 'missing_file', path: ['file'], message: 'no file in the upload' }],
    });
  }
  const format =
    typeof form.format === 'string' && form.format ? dataFormatSchema.safeParse(form.format) : undefined;
  if (format && !format.success) {
    throw new KeelError('invalid_request', 'The format is csv, parquet, json, duckdb or sqlite.', {
      issues: [{ code: 'unknown_format', path: ['format'], message: 'unknown format' }],
    });
  }
  const name = typeof form.name === 'string' && form.name ? form.name : file.name.replace(/\.[^.]*$/, '');
  return {
    name,
    format: format?.data,
    description: typeof form.description === 'string' ? form.description : undefined,
    table: typeof form.table === 'string' && form.table ? form.table.slice(0, 200) : undefined,
    data: new Uint8Array(await file.arrayBuffer()),
    fileName: file.name,
  };
}

export function registerDataRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  // The runtime adds every module's api to the services; `data` is not yet named in KeelServices.
  const { data } = services;
  registerDataAskRoutes(app, services);
  registerDataGovernanceRoutes(app, services);
  registerDataQueryPageRoutes(app, services);
  registerDataJoinRoutes(app, services);
  registerDataDescriptionRoutes(app, services);
  registerDataRagSourceRoutes(app, services);

  app.openapi(routes.add, async (c) => {
    const caller = callerOf(c, 'write');
    const type = c.req.header('content-type') ?? '';
    let row: SourceRow;
    if (type.startsWith('multipart/form-data')) {
      row = await data.add(caller.projectId, await uploadedSource(c), caller.actor);
    } else {
      const body = addLocalSourceSchema.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) {
        throw new KeelError(
          'invalid_request',
          'Send a file (multipart) or JSON {name, path} or {name, url}.',
          {
            issues: body.error.issues.map((issue) => ({
              code: issue.code,
              path: issue.path.map(String),
              message: issue.message,
            })),
          },
        );
      }
      row = await data.add(
        caller.projectId,
        {
          name: body.data.name,
          localPath: body.data.path,
          url: body.data.url,
          format: body.data.format,
          table: body.data.table,
          description: body.data.description,
        },
        caller.actor,
      );
    }
    return json(sourceJson(row), 201);
  });

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ sources: (await data.sources(projectId)).map(sourceJson) });
  });

  app.openapi(routes.remove, async (c) => {
    const { projectId } = callerOf(c, 'write');
    await data.remove(projectId, c.req.valid('param').name);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.refresh, async (c) => {
    const { projectId } = callerOf(c, 'write');
    return json(sourceJson(await data.refresh(projectId, c.req.valid('param').name)));
  });

  app.openapi(routes.table, async (c) => {
    const { projectId, role } = callerOf(c, 'read');
    const { name } = c.req.valid('param');
    return json(tableJson(await data.catalog(projectId, name, role), await draftOf(data, projectId, name)));
  });

  app.openapi(routes.describe, async (c) => {
    const { projectId } = callerOf(c, 'write');
    const body = c.req.valid('json');
    return json(sourceJson(await data.describe(projectId, c.req.valid('param').name, body)));
  });

  app.openapi(routes.query, async (c) => {
    const caller = callerOf(c, 'read');
    const body = c.req.valid('json');
    if (body.format && body.format !== 'json') {
      if (body.page_size !== undefined) {
        throw new KeelError('invalid_request', 'Exports are streamed whole: page_size is for JSON results.', {
          issues: [{ code: 'page_size_not_for_exports', path: ['page_size'], message: 'JSON results only' }],
        });
      }
      // An export: written by DuckDB, then streamed (large results never sit in memory).
      const exported = await data.export(caller.projectId, {
        ...queryRequest(body, caller),
        format: body.format,
      });
      return new Response(exported.body, {
        headers: {
          ...apiSecurityHeaders,
          'content-type': exported.contentType,
          'content-length': String(exported.bytes),
          'content-disposition': `attachment; filename="result.${body.format}"`,
          'x-keel-row-count': String(exported.rows),
          'x-keel-truncated': String(exported.truncated),
        },
      }) as never;
    }
    // The same call the direct lane makes (query-lane.ts).
    const answer = await queryAnswer(data, caller, body);
    return json(answer.body, 200, answer.headers);
  });
}
