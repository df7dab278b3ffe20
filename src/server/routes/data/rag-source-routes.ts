/**
 * @module server/routes/data/rag-source-routes
 * Data tables as RAG sources: `POST /api/v1/data/rag-sources` makes a table's rows the documents
 * of a collection (chosen text and metadata columns, every masking policy applied) and syncs them
 * once; `POST /api/v1/data/rag-sources/{id}/sync` syncs again (changed rows re-indexed, removed
 * rows' documents deleted); `GET` lists them. Viewers read; editors create and sync.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { dataRagSourceRequestSchema, dataRagSourceSchema, dataRagSyncSchema } from '../../../api/data.js';
import { type RagSourceRow, type RagSourceSync, RagSources } from '../../../data/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, okJson as ok } from '../route-shapes.js';

const tags = ['Data'];

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/data/rag-sources',
    tags,
    summary: 'Tables whose rows feed a RAG collection',
    responses: ok(z.object({ sources: z.array(dataRagSourceSchema) }), 'RAG sources'),
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/data/rag-sources',
    tags,
    summary:
      "Make a table's rows a collection's documents (text and metadata columns, masked by every policy) and sync once",
    request: {
      body: { required: true, content: { 'application/json': { schema: dataRagSourceRequestSchema } } },
    },
    responses: {
      201: {
        description: 'The source and its first sync',
        content: {
          'application/json': { schema: z.object({ source: dataRagSourceSchema, sync: dataRagSyncSchema }) },
        },
      },
      ...errors,
    },
  }),
  sync: createRoute({
    method: 'post',
    path: '/api/v1/data/rag-sources/{id}/sync',
    tags,
    summary: "Read the table's rows again: changed rows are re-indexed, removed rows' documents deleted",
    request: { params: z.object({ id: z.string().min(1).max(100) }) },
    responses: ok(dataRagSyncSchema, 'The sync'),
  }),
};

function syncJson(sync: RagSourceSync): z.infer<typeof dataRagSyncSchema> {
  const { jobId, ...counts } = sync;
  return { ...counts, job_id: jobId };
}

function sourceJson(row: RagSourceRow): z.infer<typeof dataRagSourceSchema> {
  return {
    id: row.id,
    collection_id: row.collection_id,
    table: row.table_name,
    text_columns: row.text_columns,
    metadata_columns: row.metadata_columns,
    id_column: row.id_column,
    max_rows: row.max_rows,
    last_synced_at: row.last_synced_at ? row.last_synced_at.toISOString() : null,
    last_sync: row.last_result ? syncJson(row.last_result) : null,
  };
}

export function registerDataRagSourceRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const sources = new RagSources({
    db: services.db,
    audit: services.audit,
    data: services.data,
    rag: services.rag,
  });

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ sources: (await sources.list(projectId)).map(sourceJson) });
  });

  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    const body = c.req.valid('json');
    const created = await sources.create(caller, {
      collection: body.collection,
      table: body.table,
      textColumns: body.text_columns,
      metadataColumns: body.metadata_columns,
      idColumn: body.id_column,
      maxRows: body.max_rows,
    });
    return json({ source: sourceJson(created.source), sync: syncJson(created.sync) }, 201);
  });

  app.openapi(routes.sync, async (c) => {
    const caller = callerOf(c, 'write');
    return json(syncJson(await sources.sync(caller, c.req.valid('param').id)));
  });
}
