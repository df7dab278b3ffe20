/**
 * @module rag/collections/collection-store
 * Rows of the RAG tables: collections with versioned configuration, documents with their source
 * bytes, chunks with their vectors. Every read and write is scoped to a project; a collection of
 * another project is "not found".
 */
import { createHash } from 'node:crypto';
import { type CollectionConfig, collectionConfigSchema } from '../../api/rag.js';
import { type AuditRecorder, noAudit } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';

export interface CollectionRow {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  config: CollectionConfig;
  config_version: number;
  created_at: Date;
  updated_at: Date;
}

export interface DocumentRow {
  id: string;
  collection_id: string;
  name: string;
  media_type: string | null;
  content_hash: string;
  size_bytes: number;
  status: 'pending' | 'ready' | 'failed';
  chunk_count: number;
  config_version: number | null;
  pages: number | null;
  metadata: Record<string, string | number | boolean>;
  warnings: unknown[];
  error: { code: string; message: string } | null;
  created_at: Date;
  updated_at: Date;
}

export interface ChunkRow {
  id: string;
  document_id: string;
  ordinal: number;
  text: string;
  span_start: number | null;
  span_end: number | null;
  pages: number[] | null;
  heading_path: string[] | null;
  kind: string;
  metadata: Record<string, string | number | boolean>;
  embedding: Uint8Array | null;
  embedder: string | null;
}

export function contentHash(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses a stored or requested configuration; bad input is a 400 with the zod issues. */
export function parseCollectionConfig(input: unknown): CollectionConfig {
  const parsed = collectionConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new KeelError('invalid_request', 'The collection configuration is invalid.', {
      issues: parsed.error.issues.map((issue) => ({
        code: issue.code,
        path: ['config', ...issue.path.map(String)],
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}

export function vectorBytes(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function vectorOf(bytes: Uint8Array): Float32Array {
  // Copy: the driver's buffer may not be 4-byte aligned.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

const documentColumns =
  'id, collection_id, name, media_type, content_hash, size_bytes, status, chunk_count, config_version, pages, metadata, warnings, error, created_at, updated_at';

export class CollectionStore {
  constructor(
    readonly db: DatabaseV1,
    readonly audit: AuditRecorder = noAudit,
  ) {}

  async create(
    projectId: string,
    input: { name: string; description?: string | undefined; config: CollectionConfig; actor: string | null },
  ): Promise<CollectionRow> {
    const id = newId('col');
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO rag_collections (id, project_id, name, description, config, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
          [id, projectId, input.name, input.description ?? null, JSON.stringify(input.config), input.actor],
        );
        await tx.query(
          'INSERT INTO rag_collection_configs (collection_id, version, config, message, created_by) VALUES ($1, 1, $2, $3, $4)',
          [id, JSON.stringify(input.config), 'created', input.actor],
        );
      });
    } catch (error) {
      if (/unique|duplicate/i.test((error as Error).message))
        throw new KeelError('conflict', `A collection named "${input.name}" already exists in this project.`);
      throw error;
    }
    this.audit.record({
      action: 'collection.create',
      projectId,
      target: { type: 'collection', id },
      after: { name: input.name, description: input.description ?? null, config: input.config },
      detail: { configVersion: 1 },
    });
    return this.get(projectId, id);
  }

  async list(projectId: string): Promise<(CollectionRow & { documents: number; chunks: number })[]> {
    const { rows } = await this.db.query<CollectionRow & { documents: number; chunks: number }>(
      `SELECT c.*, (SELECT count(*)::int FROM rag_documents d WHERE d.collection_id = c.id) AS documents,
              (SELECT count(*)::int FROM rag_chunks k WHERE k.collection_id = c.id) AS chunks
         FROM rag_collections c WHERE c.project_id = $1 ORDER BY c.name`,
      [projectId],
    );
    return rows;
  }

  /** By id or by name, in the project (no counts: what every call on a collection needs). */
  async find(projectId: string, idOrName: string): Promise<CollectionRow> {
    const { rows } = await this.db.query<CollectionRow>(
      'SELECT * FROM rag_collections WHERE project_id = $1 AND (id = $2 OR name = $2)',
      [projectId, idOrName],
    );
    if (!rows[0]) throw new KeelError('not_found', `Collection "${idOrName}" not found.`);
    return { ...rows[0], config: parseCollectionConfig(rows[0].config) };
  }

  /** `find` with the document and chunk counts, for showing a collection. */
  async get(
    projectId: string,
    idOrName: string,
  ): Promise<CollectionRow & { documents: number; chunks: number }> {
    const collection = await this.find(projectId, idOrName);
    const { rows } = await this.db.query<{ documents: number; chunks: number }>(
      `SELECT (SELECT count(*)::int FROM rag_documents WHERE collection_id = $1) AS documents,
              (SELECT count(*)::int FROM rag_chunks WHERE collection_id = $1) AS chunks`,
      [collection.id],
    );
    return { ...collection, ...rows[0]! };
  }

  async updateConfig(
    projectId: string,
    id: string,
    config: CollectionConfig,
    message: string | undefined,
    actor: string | null,
  ): Promise<number> {
    const version = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ config_version: number }>(
        'UPDATE rag_collections SET config = $3, config_version = config_version + 1, updated_at = now() WHERE project_id = $1 AND id = $2 RETURNING config_version',
        [projectId, id, JSON.stringify(config)],
      );
      if (!rows[0]) throw new KeelError('not_found', `Collection "${id}" not found.`);
      await tx.query(
        'INSERT INTO rag_collection_configs (collection_id, version, config, message, created_by) VALUES ($1, $2, $3, $4, $5)',
        [id, rows[0].config_version, JSON.stringify(config), message ?? null, actor],
      );
      return rows[0].config_version;
    });
    this.audit.record({
      action: 'collection.config.update',
      projectId,
      target: { type: 'collection', id },
      after: config,
      detail: { configVersion: version },
    });
    return version;
  }

  /** One configuration version of a collection in the project, or null when either is gone. */
  async configAt(projectId: string, idOrName: string, version: number): Promise<CollectionConfig | null> {
    const { rows } = await this.db.query<{ config: unknown }>(
      `SELECT v.config FROM rag_collection_configs v JOIN rag_collections c ON c.id = v.collection_id
        WHERE c.project_id = $1 AND (c.id = $2 OR c.name = $2) AND v.version = $3`,
      [projectId, idOrName, version],
    );
    return rows[0] ? parseCollectionConfig(rows[0].config) : null;
  }

  async configVersions(collectionId: string) {
    const { rows } = await this.db.query<{
      version: number;
      config: unknown;
      message: string | null;
      created_at: Date;
    }>(
      'SELECT version, config, message, created_at FROM rag_collection_configs WHERE collection_id = $1 ORDER BY version',
      [collectionId],
    );
    return rows;
  }

  async delete(projectId: string, id: string): Promise<void> {
    const result = await this.db.query('DELETE FROM rag_collections WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    if (result.affectedRows === 0) throw new KeelError('not_found', `Collection "${id}" not found.`);
    this.audit.record({ action: 'collection.delete', projectId, target: { type: 'collection', id } });
  }

  // Documents -----------------------------------------------------------------------------------

  async documents(collectionId: string): Promise<DocumentRow[]> {
    const { rows } = await this.db.query<DocumentRow>(
      `SELECT ${documentColumns} FROM rag_documents WHERE collection_id = $1 ORDER BY name`,
      [collectionId],
    );
    return rows;
  }

  async document(collectionId: string, idOrName: string): Promise<DocumentRow> {
    const { rows } = await this.db.query<DocumentRow>(
      `SELECT ${documentColumns} FROM rag_documents WHERE collection_id = $1 AND (id = $2 OR name = $2)`,
      [collectionId, idOrName],
    );
    if (!rows[0]) throw new KeelError('not_found', `Document "${idOrName}" not found in this collection.`);
    return rows[0];
  }

  async source(documentId: string): Promise<{ source: Uint8Array; provided_chunks: string[] | null }> {
    const { rows } = await this.db.query<{ source: Uint8Array; provided_chunks: string[] | null }>(
      'SELECT source, provided_chunks FROM rag_documents WHERE id = $1',
      [documentId],
    );
    if (!rows[0]) throw new KeelError('not_found', `Document ${documentId} not found.`);
    return rows[0];
  }

  /**
   * Records a document to ingest. The same name with the same content is `unchanged`; with other
   * content it becomes `pending` again (its chunks are replaced when the job reaches it).
   */
  async upsertDocument(
    tx: DatabaseSession,
    collectionId: string,
    input: {
      name: string;
      mediaType: string | undefined;
      data: Uint8Array;
      metadata: Record<string, string | number | boolean>;
      providedChunks: string[] | undefined;
    },
  ): Promise<{ id: string; outcome: 'queued' | 'unchanged' }> {
    const hash = contentHash(input.data);
    const { rows } = await tx.query<{
      id: string;
      content_hash: string;
      status: string;
      provided_chunks: unknown;
    }>(
      'SELECT id, content_hash, status, provided_chunks FROM rag_documents WHERE collection_id = $1 AND name = $2',
      [collectionId, input.name],
    );
    const existing = rows[0];
    const provided = input.providedChunks ? JSON.stringify(input.providedChunks) : null;
    if (
      existing &&
      existing.content_hash === hash &&
      existing.status === 'ready' &&
      JSON.stringify(existing.provided_chunks ?? null) === (provided ?? 'null')
    )
      return { id: existing.id, outcome: 'unchanged' };
    // New, or replaced in place (same id, so its chunks are re-made under it).
    const { rows: saved } = await tx.query<{ id: string; project_id: string | null }>(
      `INSERT INTO rag_documents (id, collection_id, name, media_type, content_hash, size_bytes, source, provided_chunks, metadata, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')
       ON CONFLICT (collection_id, name) DO UPDATE SET media_type = EXCLUDED.media_type,
         content_hash = EXCLUDED.content_hash, size_bytes = EXCLUDED.size_bytes, source = EXCLUDED.source,
         provided_chunks = EXCLUDED.provided_chunks, metadata = EXCLUDED.metadata, status = 'pending',
         error = NULL, updated_at = now()
       RETURNING id, (SELECT project_id FROM rag_collections c WHERE c.id = collection_id) AS project_id`,
      [
        newId('doc'),
        collectionId,
        input.name,
        input.mediaType ?? null,
        hash,
        input.data.length,
        input.data,
        provided,
        JSON.stringify(input.metadata),
      ],
    );
    // Recorded in the caller's transaction: a rollback after this point would leave a record of
    // an addition that did not happen (the ingestion transaction only adds its job row after it).
    this.audit.record({
      action: existing ? 'document.replace' : 'document.add',
      projectId: saved[0]!.project_id,
      target: { type: 'document', id: saved[0]!.id },
      after: { name: input.name, contentHash: hash, sizeBytes: input.data.length, metadata: input.metadata },
      detail: { collectionId, contentHash: hash },
    });
    return { id: saved[0]!.id, outcome: 'queued' };
  }

  async deleteDocument(collectionId: string, idOrName: string): Promise<DocumentRow> {
    const document = await this.document(collectionId, idOrName);
    // Chunks (and their vectors) go with the row (ON DELETE CASCADE), in one statement.
    const { rows } = await this.db.query<{ project_id: string | null }>(
      'DELETE FROM rag_documents WHERE id = $1 RETURNING (SELECT project_id FROM rag_collections c WHERE c.id = collection_id) AS project_id',
      [document.id],
    );
    this.audit.record({
      action: 'document.delete',
      projectId: rows[0]?.project_id ?? null,
      target: { type: 'document', id: document.id },
      before: { name: document.name, contentHash: document.content_hash },
      detail: { collectionId, contentHash: document.content_hash },
    });
    return document;
  }

  // Chunks --------------------------------------------------------------------------------------

  /** The chunks of some documents of a collection (catching an index up with other replicas). */
  async chunksOf(collectionId: string, documentIds: readonly string[]): Promise<ChunkRow[]> {
    const { rows } = await this.db.query<ChunkRow>(
      `SELECT id, document_id, ordinal, text, span_start, span_end, pages, heading_path, kind, metadata, embedding, embedder
         FROM rag_chunks WHERE collection_id = $1 AND document_id = ANY($2::text[])
        ORDER BY document_id, ordinal`,
      [collectionId, documentIds],
    );
    return rows;
  }

  async chunks(collectionId: string): Promise<ChunkRow[]> {
    const { rows } = await this.db.query<ChunkRow>(
      `SELECT k.id, k.document_id, k.ordinal, k.text, k.span_start, k.span_end, k.pages, k.heading_path, k.kind, k.metadata, k.embedding, k.embedder
         FROM rag_chunks k JOIN rag_documents d ON d.id = k.document_id
        WHERE k.collection_id = $1 ORDER BY k.document_id, k.ordinal`,
      [collectionId],
    );
    return rows;
  }
}
