/**
 * @module bench/rag/collections-speed
 * The persisted path end to end: a collection on the embedded database, every KorQuAD and XQuAD
 * paragraph added as a document, the ingestion job (load, chunk, scan, embed, one transaction per
 * document) timed to the end; then search latency through the collection and the retrieval
 * quality of the same questions, which must match the in-memory figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createRuntime } from '../../src/server/runtime.js';
import type { RetrievalSet } from './datasets.js';
import { percentile } from './metrics.js';

export interface CollectionsSpeed {
  documents: number;
  chunks: number;
  ingestSeconds: number;
  chunksPerSecond: number;
  documentsPerSecond: number;
  searchP50Ms: number;
  searchP99Ms: number;
  recall1: Record<string, number>;
}

export async function measureCollections(sets: RetrievalSet[]): Promise<CollectionsSpeed> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-bench-rag-'));
  const config = loadConfig({ env: {}, overrides: { dataDir, logging: { level: 'silent' } } });
  const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false, providers: [] });
  try {
    const rag = runtime.services.rag;
    const caller = { projectId: runtime.services.installation.defaultProjectId, keyId: null, actor: null };
    await rag.create(caller, {
      name: 'bench',
      config: { chunker: { strategy: 'recursive', size: 4000, overlap: 0 } },
    });
    const encoder = new TextEncoder();
    const documents = sets.flatMap((set) =>
      set.paragraphs.map((paragraph) => ({
        // The article title names the document (it becomes the weighted title field, as in the in-memory run).
        name: `${paragraph.title} (${set.name}/${paragraph.id})`,
        mediaType: 'text/plain',
        data: encoder.encode(paragraph.text),
      })),
    );
    const started = performance.now();
    const { job } = await rag.addDocuments(caller, 'bench', documents);
    const finished = await rag.ingestion.wait(caller.projectId, job!.id);
    const ingestSeconds = (performance.now() - started) / 1000;
    const latencies: number[] = [];
    const recall1: Record<string, number> = {};
    for (const set of sets) {
      let hits = 0;
      for (const question of set.questions) {
        const t = performance.now();
        const result = await rag.search(caller, 'bench', { query: question.text, mode: 'keyword', top_k: 1 });
        latencies.push(performance.now() - t);
        if (result.hits[0]?.document.endsWith(`(${set.name}/${question.gold})`)) hits++;
      }
      recall1[set.name] = Math.round((hits / set.questions.length) * 10_000) / 10_000;
    }
    return {
      documents: documents.length,
      chunks: finished.chunks,
      ingestSeconds: Math.round(ingestSeconds * 100) / 100,
      chunksPerSecond: Math.round(finished.chunks / ingestSeconds),
      documentsPerSecond: Math.round(documents.length / ingestSeconds),
      searchP50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
      searchP99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
      recall1,
    };
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
