/**
 * @module server/routes/rag/rag-route-parts
 * What the `/api/v1/collections` route files share: the id parameter, the OpenAPI tag, a
 * collection as JSON and the answer to a configuration change.
 */
import { z } from '@hono/zod-openapi';
import { collectionSchema, jobSchema } from '../../../api/rag.js';
import type { CollectionRow } from '../../../rag/collections/collection-store.js';

export const idParam = z.object({ id: z.string().min(1).max(200) });
export const tags = ['RAG'];

/** A new configuration version: the collection, the version and the re-index job, if any. */
export const configuredSchema = z.object({
  collection: collectionSchema,
  version: z.number().int(),
  job: jobSchema.nullable(),
});

export function collectionJson(row: CollectionRow & { documents?: number; chunks?: number }) {
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
