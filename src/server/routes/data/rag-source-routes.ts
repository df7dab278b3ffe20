/**
 * @module server/routes/data/rag-source-routes
 * Data tables and queries as RAG sources: `POST /api/v1/data/rag-sources` makes a table's rows, or
 * a query's, the documents of a collection (a row template or text columns, metadata columns,
 * every masking policy applied, an optional schedule): the source is checked and stored, and its
 * first sync queued as a `data.rag_source.sync` job (202 with the source and the job);
 * `POST /api/v1/data/rag-sources/{id}/sync` queues a sync as the same job kind (202;
 * changed rows re-indexed, removed rows' documents deleted) — followed on `/api/v1/jobs/{id}` and
 * its events, and asked again while it is queued or running, the same job is answered;
 * `PUT /api/v1/data/rag-sources/{id}/schedule` sets or removes the schedule (scheduled syncs run as
 * the same jobs); `GET` lists them, or shows one, with their last sync, last error, next sync and
 * the requested sync queued or running (`running_job`);
 * `DELETE` removes one (its documents stay in the collection). Viewers read; editors create,
 * schedule, sync and remove.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  dataRagScheduleRequestSchema,
  dataRagSourceRequestSchema,
  dataRagSourceSchema,
} from '../../../api/data.js';
import { jobJsonSchema } from '../../../api/jobs.js';
import { type RagSourceRow, ragSyncJson } from '../../../data/index.js';
import { jobJson } from '../../../jobs/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, okJson as ok } from '../route-shapes.js';

const tags = ['Data'];
const idParam = z.object({ id: z.string().min(1).max(100) });

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
      "Make a table's rows a collection's documents (text and metadata columns, masked by every policy); its first sync is a job",
    request: {
      body: { required: true, content: { 'application/json': { schema: dataRagSourceRequestSchema } } },
    },
    responses: {
      202: {
        description:
          'The source, stored, and its first sync queued as a job; follow it on /api/v1/jobs/{id} and its events',
        content: {
          'application/json': { schema: z.object({ source: dataRagSourceSchema, job: jobJsonSchema }) },
        },
      },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/data/rag-sources/{id}',
    tags,
    summary: 'A RAG source with its last sync, last error and next sync',
    request: { params: idParam },
    responses: ok(dataRagSourceSchema, 'The RAG source'),
  }),
  remove: createRoute({
    method: 'delete',
    path: '/api/v1/data/rag-sources/{id}',
    tags,
    summary: 'Remove a RAG source and its schedule (the documents it brought stay in the collection)',
    request: { params: idParam },
    responses: { 204: { description: 'Removed' }, ...errors },
  }),
  sync: createRoute({
    method: 'post',
    path: '/api/v1/data/rag-sources/{id}/sync',
    tags,
    summary:
      "Queue a sync now (a job: changed rows re-indexed, removed rows' documents deleted); while one is queued or running, that job",
    request: { params: idParam },
    responses: {
      202: {
        description: 'The sync job; follow it on /api/v1/jobs/{id} and its events',
        content: { 'application/json': { schema: jobJsonSchema } },
      },
      ...errors,
    },
  }),
  schedule: createRoute({
    method: 'put',
    path: '/api/v1/data/rag-sources/{id}/schedule',
    tags,
    summary: "Set a source's sync schedule (every N seconds or cron, UTC), or remove it with null",
    request: {
      params: idParam,
      body: { required: true, content: { 'application/json': { schema: dataRagScheduleRequestSchema } } },
    },
    responses: ok(dataRagSourceSchema, 'The source with its next sync'),
  }),
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function sourceJson(row: RagSourceRow & { running_job: string | null }): z.infer<typeof dataRagSourceSchema> {
  return {
    id: row.id,
    collection_id: row.collection_id,
    table: row.table_name,
    query: row.query,
    template: row.template,
    text_columns: row.text_columns,
    metadata_columns: row.metadata_columns,
    id_column: row.id_column,
    max_rows: row.max_rows,
    schedule: row.schedule,
    next_sync_at: iso(row.next_sync_at),
    last_synced_at: iso(row.last_synced_at),
    last_sync: row.last_result ? ragSyncJson(row.last_result) : null,
    last_attempt_at: iso(row.last_attempt_at),
    last_error: row.last_error,
    running_job: row.running_job,
  };
}

export function registerDataRagSourceRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const sources = services.dataRagSources;

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
      query: body.query,
      name: body.name,
      template: body.template,
      textColumns: body.text_columns,
      metadataColumns: body.metadata_columns,
      idColumn: body.id_column,
      maxRows: body.max_rows,
      schedule: body.schedule,
    });
    const job = jobJson(created.job, services.jobs.handler(created.job.kind));
    return json({ source: sourceJson(created.source), job }, 202);
  });

  app.openapi(routes.get, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json(sourceJson(await sources.find(projectId, c.req.valid('param').id)));
  });

  app.openapi(routes.remove, async (c) => {
    const caller = callerOf(c, 'write');
    await sources.remove(caller, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.sync, async (c) => {
    const caller = callerOf(c, 'write');
    const job = await sources.requestSync(caller, c.req.valid('param').id);
    return json(jobJson(job, services.jobs.handler(job.kind)), 202);
  });

  app.openapi(routes.schedule, async (c) => {
    const caller = callerOf(c, 'write');
    const { schedule } = c.req.valid('json');
    return json(sourceJson(await sources.schedule(caller, c.req.valid('param').id, schedule)));
  });
}
