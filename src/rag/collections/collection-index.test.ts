import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionConfigSchema } from '../../api/rag.js';
import { HashingEmbeddingModel } from '../../models/providers/hashing/index.js';
import { ensureInstallation } from '../../platform/bootstrap.js';
import type { PGliteDatabase } from '../../storage/pglite/driver.js';
import { createTestDatabase } from '../../testing/database.js';
import { CollectionIndex } from './collection-index.js';
import { CollectionStore } from './collection-store.js';

let db: PGliteDatabase;
let dataDir: string;
let store: CollectionStore;
let collectionId: string;
const config = collectionConfigSchema.parse({});

/** What another replica's ingestion commits: a ready document and its chunk, in one transaction. */
async function commitDocument(id: string, name: string, text: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO rag_documents (id, collection_id, name, content_hash, size_bytes, source, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending')
       ON CONFLICT (collection_id, name) DO UPDATE SET content_hash = EXCLUDED.content_hash, status = 'pending'`,
      [id, collectionId, name, text, text.length, Buffer.from(text)],
    );
    await tx.query('DELETE FROM rag_chunks WHERE document_id = $1', [id]);
    await tx.query(
      `INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text, kind) VALUES ($1, $2, $3, 0, $4, 'text')`,
      [`${id}.0`, collectionId, id, text],
    );
    await tx.query("UPDATE rag_documents SET status = 'ready', chunk_count = 1 WHERE id = $1", [id]);
  });
}

async function contentVersion(): Promise<number> {
  const { rows } = await db.query<{ v: number }>(
    'SELECT content_version AS v FROM rag_collections WHERE id = $1',
    [collectionId],
  );
  return Number(rows[0]!.v);
}

function open(dir: string): Promise<CollectionIndex> {
  return CollectionIndex.open({
    collectionId,
    config,
    store,
    db,
    dataDir: dir,
    embedder: new HashingEmbeddingModel(),
  });
}

async function found(index: CollectionIndex, query: string): Promise<string[]> {
  const result = await index.retrieve({ query, mode: 'keyword', topK: 5 });
  return result.hits.map((hit) => hit.chunk.documentId);
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-index-'));
  const installation = await ensureInstallation(db, { bootstrapKey: 'keel_test_bootstrap_key_0123456789' });
  store = new CollectionStore(db);
  collectionId = (await store.create(installation.defaultProjectId, { name: 'follow', config, actor: null }))
    .id;
}, 60_000);

afterAll(async () => {
  await db?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('collection index following the content version', () => {
  it('bumps the version once per writing transaction, deletes included', async () => {
    const before = await contentVersion();
    await commitDocument('doc_a', 'a.txt', 'the zebra crossing');
    expect(await contentVersion()).toBe(before + 1);
    const { rows } = await db.query<{ v: number }>(
      "SELECT content_version AS v FROM rag_documents WHERE id = 'doc_a'",
    );
    expect(Number(rows[0]!.v)).toBe(before + 1);
    await db.query("DELETE FROM rag_documents WHERE id = 'doc_a'");
    expect(await contentVersion()).toBe(before + 2);
  });

  it('catches up with documents added, replaced and removed by another process', async () => {
    const replicaA = await open(path.join(dataDir, 'a'));
    const replicaB = await open(path.join(dataDir, 'b'));
    await commitDocument('doc_b', 'b.txt', 'an aardvark at dawn');
    await commitDocument('doc_c', 'c.txt', 'a quiet heron');
    expect(await found(replicaB, 'aardvark')).toEqual([]);

    await replicaB.catchUp();
    expect(await found(replicaB, 'aardvark')).toEqual(['doc_b']);
    expect(await found(replicaB, 'heron')).toEqual(['doc_c']);

    // Replaced: the old text is gone, the new one found; one chunk, not two.
    await commitDocument('doc_b', 'b.txt', 'a pangolin at dusk');
    await db.query("DELETE FROM rag_documents WHERE id = 'doc_c'");
    await Promise.all([replicaB.catchUp(), replicaB.catchUp(), replicaA.catchUp()]);
    for (const replica of [replicaA, replicaB]) {
      expect(await found(replica, 'aardvark')).toEqual([]);
      expect(await found(replica, 'pangolin')).toEqual(['doc_b']);
      expect(await found(replica, 'heron')).toEqual([]);
      expect(replica.chunks.documentIds().sort()).toEqual(['doc_b']);
    }
  });

  it('skips the check within the interval and sees nothing new when nothing changed', async () => {
    const replica = await open(path.join(dataDir, 'c'));
    await replica.catchUp();
    await commitDocument('doc_d', 'd.txt', 'an ibex on the ridge');
    await replica.catchUp({ minIntervalMs: 60_000 });
    expect(await found(replica, 'ibex')).toEqual([]);
    await replica.catchUp();
    expect(await found(replica, 'ibex')).toEqual(['doc_d']);
  });
});
