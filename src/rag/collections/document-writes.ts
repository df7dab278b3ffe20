/**
 * @module rag/collections/document-writes
 * The writes of ingestion, in bulk: documents recorded with multi-row upserts, and a batch of
 * prepared documents committed in one transaction — their chunks in multi-row INSERTs, their
 * statuses in one UPDATE over arrays. A document whose content changed while it was prepared is
 * left alone (its newer content has its own job).
 */
import { newId } from '../../core/ids.js';
import type { DatabaseSession } from '../../spec/database.js';
import { type ChunkRow, contentHash, vectorBytes } from './collection-store.js';
import type { PreparedChunk, PreparedDocument } from './prepare-document.js';

export interface NewDocument {
  name: string;
  mediaType: string | undefined;
  data: Uint8Array;
  metadata: Record<string, string | number | boolean>;
  providedChunks: string[] | undefined;
}

export type IndexedChunkRow = ChunkRow & { language: string };

export interface UpsertOutcome {
  name: string;
  id: string;
  outcome: 'queued' | 'unchanged';
  /** A queued document that replaced earlier content under the same name. */
  replaced: boolean;
  contentHash: string;
}

/**
 * Records documents to ingest. The same name with the same content (and chunks) is `unchanged`;
 * new or other content becomes `pending` under the document's id. A name given twice: the last wins.
 */
export async function upsertDocuments(
  tx: DatabaseSession,
  collectionId: string,
  documents: readonly NewDocument[],
): Promise<UpsertOutcome[]> {
  const latest = new Map<string, { input: NewDocument; hash: string; provided: string | null }>();
  for (const input of documents)
    latest.set(input.name, {
      input,
      hash: contentHash(input.data),
      provided: input.providedChunks ? JSON.stringify(input.providedChunks) : null,
    });
  const { rows: existing } = await tx.query<{
    id: string;
    name: string;
    content_hash: string;
    status: string;
    provided_chunks: unknown;
  }>(
    'SELECT id, name, content_hash, status, provided_chunks FROM rag_documents WHERE collection_id = $1 AND name = ANY($2::text[])',
    [collectionId, [...latest.keys()]],
  );
  const byName = new Map(existing.map((row) => [row.name, row]));
  const outcomes = new Map<string, Omit<UpsertOutcome, 'name'>>();
  const writes: { input: NewDocument; hash: string; provided: string | null }[] = [];
  for (const [name, entry] of latest) {
    const row = byName.get(name);
    if (
      row &&
      row.content_hash === entry.hash &&
      row.status === 'ready' &&
      JSON.stringify(row.provided_chunks ?? null) === (entry.provided ?? 'null')
    )
      outcomes.set(name, { id: row.id, outcome: 'unchanged', replaced: false, contentHash: entry.hash });
    else writes.push(entry);
  }
  for (let i = 0; i < writes.length; i += 2000) {
    const slice = writes.slice(i, i + 2000);
    // Arrays, not a VALUES list: a statement with thousands of parameters costs more to bind
    // than the rows cost to write. Bytes travel as hex, which both engines decode the same way.
    const { rows } = await tx.query<{ id: string; name: string }>(
      `INSERT INTO rag_documents (id, collection_id, name, media_type, content_hash, size_bytes, source, provided_chunks, metadata, status)
       SELECT v.id, $1, v.name, v.media_type, v.content_hash, v.size_bytes, decode(v.source, 'hex'), v.provided::jsonb,
              v.metadata::jsonb, 'pending'
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[])
           AS v (id, name, media_type, content_hash, size_bytes, source, provided, metadata)
       ON CONFLICT (collection_id, name) DO UPDATE SET media_type = EXCLUDED.media_type,
         content_hash = EXCLUDED.content_hash, size_bytes = EXCLUDED.size_bytes, source = EXCLUDED.source,
         provided_chunks = EXCLUDED.provided_chunks, metadata = EXCLUDED.metadata, status = 'pending',
         error = NULL, updated_at = now()
       RETURNING id, name`,
      [
        collectionId,
        slice.map(() => newId('doc')),
        slice.map(({ input }) => input.name),
        slice.map(({ input }) => input.mediaType ?? null),
        slice.map(({ hash }) => hash),
        slice.map(({ input }) => input.data.length),
        slice.map(({ input }) => hex(input.data)),
        slice.map(({ provided }) => provided),
        slice.map(({ input }) => JSON.stringify(input.metadata)),
      ],
    );
    for (const row of rows)
      outcomes.set(row.name, {
        id: row.id,
        outcome: 'queued',
        replaced: byName.has(row.name),
        contentHash: latest.get(row.name)!.hash,
      });
  }
  return documents.map((input) => ({ name: input.name, ...outcomes.get(input.name)! }));
}

/** The rows a document's prepared chunks become (also handed to the in-process index after commit). */
export function chunkRows(
  documentId: string,
  chunks: readonly PreparedChunk[],
  embedderId: string,
): IndexedChunkRow[] {
  return chunks.map((chunk) => ({
    id: `${documentId}.${chunk.index}`,
    document_id: documentId,
    ordinal: chunk.index,
    text: chunk.text,
    span_start: chunk.start,
    span_end: chunk.end,
    pages: chunk.pages ?? null,
    heading_path: chunk.headingPath ?? null,
    kind: chunk.kind,
    language: chunk.language,
    metadata: { ...chunk.metadata, ...(chunk.flags.length ? { flags: chunk.flags.join(',') } : {}) },
    embedding: chunk.embedding ? vectorBytes(chunk.embedding) : null,
    embedder: chunk.embedding ? embedderId : null,
  }));
}

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** A PostgreSQL array literal (`{"a","b"}`), so ragged arrays can travel inside a text[] parameter. */
function arrayLiteral(values: readonly (string | number)[] | null): string | null {
  if (!values) return null;
  return `{${values.map((value) => (typeof value === 'number' ? String(value) : `"${value.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

async function insertChunks(tx: DatabaseSession, collectionId: string, rows: readonly IndexedChunkRow[]) {
  for (let i = 0; i < rows.length; i += 2000) {
    const slice = rows.slice(i, i + 2000);
    await tx.query(
      `INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text, span_start, span_end, pages, heading_path, kind, language, metadata, embedding, embedder)
       SELECT v.id, $1, v.document_id, v.ordinal, v.text, v.span_start, v.span_end, v.pages::int[], v.heading_path::text[],
              v.kind, v.language, v.metadata::jsonb, decode(v.embedding, 'hex'), v.embedder
         FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
           AS v (id, document_id, ordinal, text, span_start, span_end, pages, heading_path, kind, language, metadata, embedding, embedder)`,
      [
        collectionId,
        slice.map((row) => row.id),
        slice.map((row) => row.document_id),
        slice.map((row) => row.ordinal),
        slice.map((row) => row.text),
        slice.map((row) => row.span_start),
        slice.map((row) => row.span_end),
        slice.map((row) => arrayLiteral(row.pages)),
        slice.map((row) => arrayLiteral(row.heading_path)),
        slice.map((row) => row.kind),
        slice.map((row) => row.language),
        slice.map((row) => JSON.stringify(row.metadata)),
        slice.map((row) => (row.embedding ? hex(row.embedding) : null)),
        slice.map((row) => row.embedder),
      ],
    );
  }
}

export interface BatchItem {
  documentId: string;
  name: string;
  contentHash: string;
  prepared?: PreparedDocument;
  rows?: IndexedChunkRow[];
  failure?: { code: string; message: string };
}

/**
 * Commits a batch in the caller's transaction: chunks replaced and documents marked ready, or
 * marked failed. Returns the items that were committed (those whose content did not change
 * meanwhile).
 */
export async function commitBatch(
  tx: DatabaseSession,
  collectionId: string,
  configVersion: number,
  items: readonly BatchItem[],
): Promise<BatchItem[]> {
  if (!items.length) return [];
  const { rows: current } = await tx.query<{ id: string; content_hash: string; chunk_count: number }>(
    'SELECT id, content_hash, chunk_count FROM rag_documents WHERE id = ANY($1::text[]) FOR UPDATE',
    [items.map((item) => item.documentId)],
  );
  const hashes = new Map(current.map((row) => [row.id, row.content_hash]));
  // A document that never had chunks has none to delete (most of a first ingestion).
  const hadChunks = new Set(current.filter((row) => row.chunk_count > 0).map((row) => row.id));
  const kept = items.filter((item) => hashes.get(item.documentId) === item.contentHash);
  const ready = kept.filter((item) => item.prepared);
  const failed = kept.filter((item) => item.failure);
  if (ready.length) {
    const ids = ready.map((item) => item.documentId);
    const replaced = ids.filter((id) => hadChunks.has(id));
    if (replaced.length)
      await tx.query('DELETE FROM rag_chunks WHERE document_id = ANY($1::text[])', [replaced]);
    await insertChunks(
      tx,
      collectionId,
      ready.flatMap((item) => item.rows!),
    );
    await tx.query(
      `UPDATE rag_documents d SET status = 'ready', chunk_count = v.chunks, config_version = $5, pages = v.pages,
              warnings = v.warnings::jsonb, error = NULL, updated_at = now()
         FROM unnest($1::text[], $2::int[], $3::int[], $4::text[]) AS v (id, chunks, pages, warnings)
        WHERE d.id = v.id AND d.id = ANY($1::text[])`,
      [
        ids,
        ready.map((item) => item.prepared!.chunks.length),
        ready.map((item) => item.prepared!.document.pages?.length ?? null),
        ready.map((item) => JSON.stringify(item.prepared!.warnings)),
        configVersion,
      ],
    );
  }
  if (failed.length) {
    await tx.query(
      `UPDATE rag_documents d SET status = 'failed', error = v.error::jsonb, updated_at = now()
         FROM unnest($1::text[], $2::text[]) AS v (id, error) WHERE d.id = v.id AND d.id = ANY($1::text[])`,
      [failed.map((item) => item.documentId), failed.map((item) => JSON.stringify(item.failure))],
    );
  }
  return kept;
}
