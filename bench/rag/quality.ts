/**
 * @module bench/rag/quality
 * Retrieval quality on a SQuAD-format set: every paragraph a document (title as a weighted
 * field), each question's own paragraph its gold. Keel's BM25, the hashing embedder through the
 * usearch index, hybrid (weighted and RRF) through `retrieve`, and MiniSearch as the anchor.
 */
import MiniSearch from 'minisearch';
import { HashingEmbeddingModel } from '../../src/models/providers/hashing/index.js';
import { Bm25Index } from '../../src/rag/lexical/bm25-index.js';
import { MemoryCollection } from '../../src/rag/retrieval/memory-collection.js';
import type { RetrieveOptions } from '../../src/rag/retrieval/retrieve.js';
import { createUsearchIndex } from '../../src/rag/vector/usearch-vector-index.js';
import type { RetrievalSet } from './datasets.js';
import { RankAccumulator, type RankMetrics } from './metrics.js';

export type QualityReport = Record<string, RankMetrics>;

export async function measureQuality(set: RetrievalSet): Promise<QualityReport> {
  const embedder = new HashingEmbeddingModel();
  const collection = new MemoryCollection({
    embedder,
    vector: createUsearchIndex({
      dimensions: await embedder.dimensions(),
      quantization: 'f32',
      expansionSearch: 256,
    }),
  });
  for (const paragraph of set.paragraphs) {
    await collection.upsertDocument(paragraph.id, [{ text: paragraph.text, title: paragraph.title }]);
  }
  const bodyOnly = new Bm25Index({ fieldWeights: {} });
  bodyOnly.add(set.paragraphs.map((paragraph) => ({ id: paragraph.id, text: paragraph.text })));
  const mini = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'] });
  mini.addAll(set.paragraphs);

  const runs: Record<string, (query: string) => Promise<string[]>> = {};
  const viaRetrieve = (options: Omit<RetrieveOptions, 'query'>) => async (query: string) =>
    (await collection.retrieve({ ...options, query, topK: 10 })).hits.map((hit) => hit.chunk.documentId);
  runs['keel bm25'] = viaRetrieve({ mode: 'keyword' });
  runs['keel bm25 (body only)'] = async (query) => bodyOnly.search(query, { topK: 10 }).map((hit) => hit.id);
  runs['keel vector (hashing)'] = viaRetrieve({ mode: 'vector' });
  runs['keel hybrid weighted'] = viaRetrieve({
    mode: 'hybrid',
    fusion: { method: 'weighted', vectorWeight: 0.05 },
  });
  runs['keel hybrid rrf'] = viaRetrieve({ mode: 'hybrid', fusion: { method: 'rrf', k: 60 } });
  runs['minisearch (anchor)'] = async (query) =>
    mini
      .search(query)
      .slice(0, 10)
      .map((hit) => String(hit.id));

  const report: QualityReport = {};
  for (const [name, run] of Object.entries(runs)) {
    const ranks = new RankAccumulator();
    for (const question of set.questions) ranks.add((await run(question.text)).indexOf(question.gold));
    report[name] = ranks.result();
  }
  return report;
}
