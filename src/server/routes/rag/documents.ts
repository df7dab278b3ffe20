/**
 * @module server/routes/rag/documents
 * `/api/v1/collections/{id}/documents` and `/jobs`: documents (JSON text or multipart upload) and
 * the ingestion jobs that index them, with live progress.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  addDocumentsResponseSchema,
  addDocumentsSchema,
  documentSchema,
  jobSchema,
} from '../../../api/rag.js';
import { KeelError } from '../../../core/errors.js';
import type { DocumentRow } from '../../../rag/collections/collection-store.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json, sse } from '../../respond.js';
import { keelErrors as errors, keelError, okJson as ok } from '../route-shapes.js';
import { idParam, tags } from './rag-route-parts.js';

/** Largest upload body for documents (a file over the loader's limit is rejected on its own). */
export const UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024;
export const uploadPath = /^\/api\/v1\/collections\/[^/]+\/documents$/;
const FILE_LIMIT_BYTES = 50 * 1024 * 1024;

const routes = {
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
      413: keelError('Upload too large'),
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
};

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

export function registerDocumentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const rag = services.rag;

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
}
