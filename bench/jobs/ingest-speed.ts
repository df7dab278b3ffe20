/**
 * @module bench/jobs/ingest-speed
 * Ingestion throughput on the embedded database (PGlite on its own thread, as `keel serve` runs
 * it): N small documents added through the collections service and ingested by the `rag.ingest`
 * job, beside the anchor — the previous path, one transaction per document — on the same engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHashingProvider } from '../../src/models/providers/hashing/index.js';
import { parseCollectionConfig } from '../../src/rag/collections/collection-store.js';
import { chunkRows, commitBatch, upsertDocuments } from '../../src/rag/collections/document-writes.js';
import { prepareDocument } from '../../src/rag/collections/prepare-document.js';
import { createRuntime } from '../../src/server/runtime.js';

export interface IngestFigures {
  documents: number;
  docsPerSecond: number;
  enqueueMs: number;
  jobMs: number;
  anchorDocuments: number;
  anchorDocsPerSecond: number;
}

export function smallDocument(n: number): string {
  return `Document ${n} is about topic ${n % 97}. It has a couple of sentences about widgets, gadgets and the ${n}th thing. 문서 ${n}은 짧습니다.`;
}

export async function measureIngest(documents: number, anchorDocuments: number): Promise<IngestFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-bench-jobs-'));
  const config = loadConfig({ env: {}, overrides: { dataDir, logging: { level: 'silent' } } });
  const runtime = await createRuntime(config, {
    providers: [createHashingProvider()],
    logger: silentLogger,
    processMetrics: false,
  });
  try {
    const rag = runtime.services.rag;
    const caller = { projectId: runtime.services.installation.defaultProjectId, keyId: null, actor: null };
    const encoder = new TextEncoder();
    const inputs = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, n) => ({
        name: `${prefix}-${n}.txt`,
        mediaType: 'text/plain',
        data: encoder.encode(smallDocument(n)),
      }));

    // Warm-up: loaders, chunkers and the database's plans.
    await rag.create(caller, { name: 'warm' });
    const warm = await rag.addDocuments(caller, 'warm', inputs('w', 200));
    await rag.ingestion.wait(caller.projectId, warm.job!.id);

    await rag.create(caller, { name: 'bench' });
    const started = performance.now();
    let added: Awaited<ReturnType<typeof rag.addDocuments>> | undefined;
    const all = inputs('d', documents);
    // The API takes at most 1,000 documents a request: the same here.
    const jobs: string[] = [];
    for (let i = 0; i < all.length; i += 1000) {
      added = await rag.addDocuments(caller, 'bench', all.slice(i, i + 1000));
      jobs.push(added.job!.id);
    }
    const enqueued = performance.now();
    for (const id of jobs) {
      const job = await rag.ingestion.wait(caller.projectId, id);
      if (job.status !== 'succeeded' || job.failed)
        throw new Error(`ingestion job ${id} ended ${job.status}`);
    }
    const finished = performance.now();

    // Anchor: one transaction per document (the path this job replaced), same engine, same work.
    const db = runtime.services.db;
    const collection = await rag.create(caller, { name: 'anchor' });
    const collectionConfig = parseCollectionConfig(collection.config);
    const embedder = createHashingProvider().embeddingModel(collectionConfig.embedder.split(':')[1]!);
    const ids = await db.transaction(async (tx) =>
      (
        await upsertDocuments(
          tx,
          collection.id,
          inputs('a', anchorDocuments).map((input) => ({
            ...input,
            metadata: {},
            providedChunks: undefined,
          })),
        )
      ).map((outcome) => outcome.id),
    );
    const anchorStarted = performance.now();
    for (const id of ids) {
      const { rows } = await db.query<{
        name: string;
        media_type: string | null;
        content_hash: string;
        status: string;
      }>('SELECT name, media_type, content_hash, status FROM rag_documents WHERE id = $1', [id]);
      const { rows: sources } = await db.query<{ source: Uint8Array }>(
        'SELECT source FROM rag_documents WHERE id = $1',
        [id],
      );
      const prepared = await prepareDocument({
        name: rows[0]!.name,
        data: sources[0]!.source,
        mediaType: rows[0]!.media_type,
        providedChunks: null,
        config: collectionConfig,
        embedder,
      });
      await db.transaction(async (tx) => {
        await commitBatch(tx, collection.id, 1, [
          {
            documentId: id,
            name: rows[0]!.name,
            contentHash: rows[0]!.content_hash,
            prepared,
            rows: chunkRows(id, prepared.chunks, collectionConfig.embedder),
          },
        ]);
        // The job's progress, as the old path wrote it with every document.
        await tx.query('UPDATE jobs SET progress_done = progress_done + 1 WHERE id = $1', [warm.job!.id]);
      });
    }
    const anchorSeconds = (performance.now() - anchorStarted) / 1000;
    return {
      documents,
      docsPerSecond: documents / ((finished - started) / 1000),
      enqueueMs: enqueued - started,
      jobMs: finished - enqueued,
      anchorDocuments,
      anchorDocsPerSecond: anchorDocuments / anchorSeconds,
    };
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
