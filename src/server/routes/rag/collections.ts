/**
 * @module server/routes/rag/collections
 * `/api/v1/collections`: collections and their versioned configuration, documents (JSON text or
 * multipart upload), ingestion jobs with live progress, search, answers with citations, chunk
 * previews and experiments.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { keelErrorSchema } from '../../../api/platform.js';
import {
  addDocumentsResponseSchema,
  addDocumentsSchema,
  askRequestSchema,
  askResponseSchema,
  collectionSchema,
  createCollectionSchema,
  documentSchema,
  experimentRequestSchema,
  experimentSchema,
  jobSchema,
  previewRequestSchema,
  searchRequestSchema,
  searchResponseSchema,
  updateConfigSchema,
} from '../../../api/rag.js';
import { KeelError } from '../../../core/errors.js';
import type { CollectionRow, DocumentRow } from '../../../rag/collections/collection-store.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { guardrailsFor } from '../../guardrails-scope.js';
import { callerOf, projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json, sse } from '../../respond.js';
import { keelErrors as errors, jsonBody, okJson as ok } from '../route-shapes.js';

/** Largest upload body for documents (a file over the loader's limit is rejected on its own). */
export const UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024;
export const uploadPath = /^\/api\/v1\/collections\/[^/]+\/documents$/;
const FILE_LIMIT_BYTES = 50 * 1024 * 1024;

const idParam = z.object({ id: z.string().min(1).max(200) });
const tags = ['RAG'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/api/v1/collections',
    tags,
    summary: 'Create a collection',
    request: jsonBody(createCollectionSchema),
    responses: ok(collectionSchema, 'The collection'),
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/collections',
    tags,
    summary: 'List collections',
    responses: ok(z.object({ collections: z.array(collectionSchema) }), 'Collections'),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}',
    tags,
    summary: 'Get a collection (by id or name)',
    request: { params: idParam },
    responses: ok(collectionSchema, 'The collection'),
  }),
  configure: createRoute({
    method: 'put',
    path: '/api/v1/collections/{id}/config',
    tags,
    summary:
      'Save a new configuration version (changed loading, chunking or embedding re-indexes in the background)',
    request: { params: idParam, ...jsonBody(updateConfigSchema) },
    responses: ok(
      z.object({ collection: collectionSchema, version: z.number().int(), job: jobSchema.nullable() }),
      'The collection and the re-index job, if any',
    ),
  }),
  versions: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/config/versions',
    tags,
    summary: 'Configuration versions',
    request: { params: idParam },
    responses: ok(
      z.object({
        versions: z.array(
          z.object({
            version: z.number(),
            config: z.unknown(),
            message: z.string().nullable(),
            created_at: z.string(),
          }),
        ),
      }),
      'Versions',
    ),
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/collections/{id}',
    tags,
    summary: 'Delete a collection, its documents, chunks and indexes',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...errors },
  }),
  addDocuments: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/documents',
    tags,
    summary:
      'Add or replace documents: JSON texts, or files as multipart/form-data (field "file", repeatable)',
    request: {
      params: idParam,
      // Not `required`: each content type is validated only when the request is of that type.
      body: {
        required: false,
        content: {
          'application/json': { schema: addDocumentsSchema },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
              metadata: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      202: {
        description: 'Queued (a job follows the ingestion)',
        content: { 'application/json': { schema: addDocumentsResponseSchema } },
      },
      ...ok(addDocumentsResponseSchema, 'Nothing to ingest (unchanged or rejected)'),
      413: { description: 'Upload too large', content: { 'application/json': { schema: keelErrorSchema } } },
    },
  }),
  documents: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/documents',
    tags,
    summary: 'List documents',
    request: { params: idParam },
    responses: ok(z.object({ documents: z.array(documentSchema) }), 'Documents'),
  }),
  deleteDocument: createRoute({
    method: 'delete',
    path: '/api/v1/collections/{id}/documents/{docId}',
    tags,
    summary: 'Delete a document with its chunks, vectors and postings',
    request: { params: idParam.extend({ docId: z.string().min(1).max(300) }) },
    responses: { 204: { description: 'Deleted' }, ...errors },
  }),
  jobs: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/jobs',
    tags,
    summary: 'Recent ingestion jobs',
    request: { params: idParam },
    responses: ok(z.object({ jobs: z.array(jobSchema) }), 'Jobs'),
  }),
  job: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/jobs/{jobId}',
    tags,
    summary: 'An ingestion job',
    request: { params: idParam.extend({ jobId: z.string().min(1) }) },
    responses: ok(jobSchema, 'The job'),
  }),
  jobEvents: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/jobs/{jobId}/events',
    tags,
    summary: 'Live progress of an ingestion job (server-sent events until it ends)',
    request: { params: idParam.extend({ jobId: z.string().min(1) }) },
    responses: { 200: { description: 'text/event-stream of `progress` events' }, ...errors },
  }),
  search: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/search',
    tags,
    summary: 'Search (vector, keyword or hybrid)',
    request: { params: idParam, ...jsonBody(searchRequestSchema) },
    responses: ok(searchResponseSchema, 'Hits'),
  }),
  ask: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/ask',
    tags,
    summary: 'Answer a question with verified citations (`stream: true` for server-sent events)',
    request: { params: idParam, ...jsonBody(askRequestSchema) },
    responses: ok(askResponseSchema, 'The answer'),
  }),
  preview: createRoute({
    method: 'post',
    path: '/api/v1/collections/preview',
    tags,
    summary: 'The chunks a chunker configuration would make of a text (nothing stored)',
    request: {
      body: {
        required: false,
        content: {
          'application/json': { schema: previewRequestSchema },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
              chunker: z.string().optional().openapi({ description: 'the chunker configuration, as JSON' }),
            }),
          },
        },
      },
    },
    responses: ok(
      z.object({ chunks: z.array(z.record(z.string(), z.unknown())), warnings: z.array(z.unknown()) }),
      'Chunks',
    ),
  }),
  experiment: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/experiments',
    tags,
    summary: 'Run an experiment grid over the collection (runs in the background)',
    request: { params: idParam, ...jsonBody(experimentRequestSchema) },
    responses: {
      202: { description: 'Started', content: { 'application/json': { schema: experimentSchema } } },
      ...errors,
    },
  }),
  experiments: createRoute({
    method: 'get',
    path: '/api/v1/collections/{id}/experiments',
    tags,
    summary: 'Experiments of a collection',
    request: { params: idParam },
    responses: ok(z.object({ experiments: z.array(experimentSchema) }), 'Experiments'),
  }),
  getExperiment: createRoute({
    method: 'get',
    path: '/api/v1/experiments/{id}',
    tags,
    summary: 'An experiment and its leaderboard',
    request: { params: idParam },
    responses: ok(experimentSchema, 'The experiment'),
  }),
  applyExperiment: createRoute({
    method: 'post',
    path: '/api/v1/experiments/{id}/apply',
    tags,
    summary: "Save the experiment's best configuration as the collection's",
    request: { params: idParam },
    responses: ok(
      z.object({ collection: collectionSchema, version: z.number().int(), job: jobSchema.nullable() }),
      'The collection',
    ),
  }),
};

function collectionJson(row: CollectionRow & { documents?: number; chunks?: number }) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    config: row.config as unknown as Record<string, unknown>,
    config_version: row.config_version,
    documents: row.documents ?? 0,
    chunks: row.chunks ?? 0,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function documentJson(row: DocumentRow) {
  return {
    id: row.id,
    name: row.name,
    media_type: row.media_type,
    content_hash: row.content_hash,
    size_bytes: row.size_bytes,
    status: row.status,
    chunk_count: row.chunk_count,
    pages: row.pages,
    metadata: row.metadata,
    warnings: row.warnings,
    error: row.error,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Files of a multipart upload, and the optional JSON `metadata` field applied to each. */
async function uploadedFiles(c: Context<KeelEnv>) {
  const form = await c.req.parseBody({ all: true });
  const files = ([] as unknown[])
    .concat(form.file ?? [], form.files ?? [])
    .filter((value): value is File => value instanceof File);
  if (!files.length) {
    throw new KeelError(
      'invalid_request',
      'Send the documents as multipart "file" fields (or JSON {documents: [...]}).',
      {
        issues: [{ code: 'missing_file', path: ['file'], message: 'no file in the upload' }],
      },
    );
  }
  let metadata: Record<string, string | number | boolean> = {};
  if (typeof form.metadata === 'string' && form.metadata.trim()) {
    try {
      metadata = JSON.parse(form.metadata);
    } catch {
      throw new KeelError('invalid_request', 'The "metadata" field must be a JSON object.', {
        issues: [{ code: 'invalid_json', path: ['metadata'], message: 'not JSON' }],
      });
    }
  }
  return Promise.all(
    files.map(async (file) => ({
      name: file.name || 'upload',
      mediaType: file.type || undefined,
      size: file.size,
      data: file.size <= FILE_LIMIT_BYTES ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(),
      metadata,
    })),
  );
}

export function registerRagRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const rag = services.rag;

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    const created = await rag.create(callerOf(c, 'write'), body);
    return json(collectionJson(created));
  });
  app.openapi(routes.list, async (c) =>
    json({ collections: (await rag.list(callerOf(c, 'read'))).map(collectionJson) }),
  );
  app.openapi(routes.get, async (c) =>
    json(collectionJson(await rag.get(callerOf(c, 'read'), c.req.valid('param').id))),
  );
  app.openapi(routes.configure, async (c) => {
    const body = c.req.valid('json');
    const result = await rag.updateConfig(
      callerOf(c, 'write'),
      c.req.valid('param').id,
      body.config,
      body.message,
    );
    return json({ collection: collectionJson(result.collection), version: result.version, job: result.job });
  });
  app.openapi(routes.versions, async (c) => {
    const collection = await rag.find(callerOf(c, 'read'), c.req.valid('param').id);
    const versions = await rag.store.configVersions(collection.id);
    return json({ versions: versions.map((v) => ({ ...v, created_at: v.created_at.toISOString() })) });
  });
  app.openapi(routes.delete, async (c) => {
    await rag.delete(callerOf(c, 'write'), c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.addDocuments, async (c) => {
    const who = callerOf(c, 'write');
    const id = c.req.valid('param').id;
    const type = c.req.header('content-type') ?? '';
    let result: Awaited<ReturnType<typeof rag.addDocuments>>;
    if (type.startsWith('multipart/form-data')) {
      const files = await uploadedFiles(c);
      const tooBig = files.filter((file) => file.size > FILE_LIMIT_BYTES);
      result = await rag.addDocuments(
        who,
        id,
        files.filter((file) => file.size <= FILE_LIMIT_BYTES),
      );
      result.documents.push(
        ...tooBig.map((file) => ({
          name: file.name,
          id: null,
          outcome: 'rejected' as const,
          error: {
            code: 'payload_too_large',
            message: `${file.name} is ${file.size} bytes; one file may be at most ${FILE_LIMIT_BYTES} bytes.`,
          },
        })),
      );
    } else {
      if (!type.startsWith('application/json'))
        throw new KeelError(
          'unsupported_media_type',
          'Send documents as application/json or multipart/form-data.',
        );
      const body = c.req.valid('json') as z.infer<typeof addDocumentsSchema>;
      const encoder = new TextEncoder();
      result = await rag.addDocuments(
        who,
        id,
        body.documents.map((document) => ({
          name: document.name,
          mediaType: document.media_type ?? (document.chunks ? 'text/plain' : undefined),
          data: encoder.encode(document.text),
          metadata: document.metadata,
          providedChunks: document.chunks,
        })),
      );
    }
    return json(result, result.job ? 202 : 200);
  });
  app.openapi(routes.documents, async (c) =>
    json({
      documents: (await rag.documents(callerOf(c, 'read'), c.req.valid('param').id)).map(documentJson),
    }),
  );
  app.openapi(routes.deleteDocument, async (c) => {
    const { id, docId } = c.req.valid('param');
    await rag.deleteDocument(callerOf(c, 'write'), id, docId);
    return new Response(null, { status: 204 }) as never;
  });
  app.openapi(routes.jobs, async (c) => {
    const collection = await rag.find(callerOf(c, 'read'), c.req.valid('param').id);
    return json({ jobs: await rag.ingestion.jobs(collection.id) });
  });
  app.openapi(routes.job, async (c) => {
    const { id, jobId } = c.req.valid('param');
    return json(await rag.job(callerOf(c, 'read'), id, jobId));
  });
  app.openapi(routes.jobEvents, async (c) => {
    const { id, jobId } = c.req.valid('param');
    const updates = await rag.followJob(callerOf(c, 'read'), id, jobId, requestSignal(c));
    async function* events(): AsyncGenerator<string> {
      for await (const update of updates)
        yield `event: progress\ndata: ${JSON.stringify({ type: 'progress', job: update })}\n\n`;
    }
    return sse(events());
  });

  app.openapi(routes.search, async (c) =>
    json(await rag.search(callerOf(c, 'read'), c.req.valid('param').id, c.req.valid('json'))),
  );
  app.openapi(routes.ask, async (c) => {
    const body = c.req.valid('json');
    // The project's guardrail policy (or the one named in X-Keel-Guardrail-Policy) covers the answer.
    const who = {
      ...callerOf(c, 'invoke'),
      guardrails: await guardrailsFor(c, services, projectScope(c, 'invoke')),
    };
    const id = c.req.valid('param').id;
    if (!body.stream) return json(await rag.ask(who, id, body));
    const stream = await rag.askStream(who, id, body);
    async function* events(): AsyncGenerator<string> {
      try {
        for await (const event of stream) yield `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      } catch (error) {
        const failure = error instanceof KeelError ? error : new KeelError('internal', 'The answer failed.');
        yield `event: error\ndata: ${JSON.stringify({ type: 'error', error: { code: failure.code, message: failure.message } })}\n\n`;
      }
    }
    return sse(events());
  });
  app.openapi(routes.preview, async (c) => {
    callerOf(c, 'read');
    if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
      const form = await c.req.parseBody();
      const file = form.file;
      if (!(file instanceof File))
        throw new KeelError('invalid_request', 'Send the file to preview as the multipart "file" field.', {
          issues: [{ code: 'missing_file', path: ['file'], message: 'no file in the upload' }],
        });
      let chunker: Record<string, unknown> | undefined;
      if (typeof form.chunker === 'string' && form.chunker.trim()) {
        try {
          chunker = JSON.parse(form.chunker);
        } catch {
          throw new KeelError('invalid_request', 'The "chunker" field must be a JSON object.', {
            issues: [{ code: 'invalid_json', path: ['chunker'], message: 'not JSON' }],
          });
        }
      }
      return json(
        await rag.preview({
          data: new Uint8Array(await file.arrayBuffer()),
          file_name: file.name,
          media_type: file.type || undefined,
          chunker,
        }),
      );
    }
    return json(await rag.preview(c.req.valid('json') as z.infer<typeof previewRequestSchema>));
  });
  app.openapi(routes.experiment, async (c) =>
    json(await rag.startExperiment(callerOf(c, 'write'), c.req.valid('param').id, c.req.valid('json')), 202),
  );
  app.openapi(routes.experiments, async (c) =>
    json({ experiments: await rag.listExperiments(callerOf(c, 'read'), c.req.valid('param').id) }),
  );
  app.openapi(routes.getExperiment, async (c) =>
    json(await rag.getExperiment(callerOf(c, 'read'), c.req.valid('param').id)),
  );
  app.openapi(routes.applyExperiment, async (c) => {
    const result = await rag.applyExperiment(callerOf(c, 'write'), c.req.valid('param').id);
    return json({ collection: collectionJson(result.collection), version: result.version, job: result.job });
  });
}
