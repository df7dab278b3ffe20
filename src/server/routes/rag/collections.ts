/**
 * @module server/routes/rag/collections
 * `/api/v1/collections`: collections and their versioned configuration. `registerRagRoutes` also
 * registers the documents and ingestion jobs (`documents.ts`), search, answers and chunk previews
 * (`search-ask.ts`) and experiments (`experiments.ts`), in that order.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { collectionSchema, createCollectionSchema, updateConfigSchema } from '../../../api/rag.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, jsonBody, okJson as ok } from '../route-shapes.js';
import { registerDocumentRoutes } from './documents.js';
import { registerExperimentRoutes } from './experiments.js';
import { collectionJson, configuredSchema, idParam, tags } from './rag-route-parts.js';
import { registerSearchAskRoutes } from './search-ask.js';

// The upload limits live with the document routes; the server edge reads them from here.
export { UPLOAD_LIMIT_BYTES, uploadPath } from './documents.js';

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
    responses: ok(configuredSchema, 'The collection and the re-index job, if any'),
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
};

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

  registerDocumentRoutes(app, services);
  registerSearchAskRoutes(app, services);
  registerExperimentRoutes(app, services);
}
