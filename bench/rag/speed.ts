/**
 * @module bench/rag/speed
 * Speed at 100k chunks synthesised from the datasets' sentences (three to five sentences each,
 * drawn with a fixed seed): ingestion with the hashing embedder, query latency per mode, ANN
 * throughput of the usearch adapter against raw usearch on the very same graph, and BM25 build
 * time and memory against MiniSearch.
 */
import MiniSearch from 'minisearch';
import usearch, { type BatchMatches } from 'usearch';
import { HashingEmbeddingModel } from '../../src/models/providers/hashing/index.js';
import { splitSentences } from '../../src/rag/chunking/sentences.js';
import { Bm25Index } from '../../src/rag/lexical/bm25-index.js';
import { MemoryCollection } from '../../src/rag/retrieval/memory-collection.js';
import type { RetrievalMode } from '../../src/rag/retrieval/retrieve.js';
import { createUsearchIndex, type UsearchVectorIndex } from '../../src/rag/vector/usearch-vector-index.js';
import type { RetrievalSet } from './datasets.js';
import { percentile, random, usedMemory } from './metrics.js';

export function synthesiseChunks(sets: RetrievalSet[], count: number): string[] {
  const sentences: string[] = [];
  for (const set of sets) {
    for (const paragraph of set.paragraphs) {
      for (const span of splitSentences(paragraph.text))
        sentences.push(paragraph.text.slice(span.start, span.end));
    }
  }
  const next = random(42);
  return Array.from({ length: count }, () => {
    const length = 3 + Math.floor(next() * 3);
    const start = Math.floor(next() * (sentences.length - length));
    return sentences.slice(start, start + length).join(' ');
  });
}

export interface SpeedReport {
  chunks: number;
  ingestChunksPerSecond: number;
  embedChunksPerSecond: number;
  latencyMs: Record<RetrievalMode, { p50: number; p99: number }>;
  ann: { oursQps: number; rawQps: number; ratio: number; oursRecall10: number; rawRecall10: number };
  bm25: {
    buildSeconds: number;
    memoryMB: number;
    minisearchBuildSeconds: number;
    minisearchMemoryMB: number;
  };
}

function annThroughput(index: UsearchVectorIndex, queries: Float32Array[], truth: string[][], raw: boolean) {
  const started = performance.now();
  let found = 0;
  for (let round = 0; round < 3; round++) {
    queries.forEach((query, q) => {
      let ids: string[];
      if (raw) {
        const matches = index.native.search(query, 10, 1);
        ids = Array.from(matches.keys, (key) => String(key));
      } else ids = index.searchSync(query, { topK: 10 }).map((hit) => hit.id);
      if (round === 0) found += ids.filter((id) => truth[q]!.includes(id)).length;
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return { qps: (3 * queries.length) / seconds, recall: found / (queries.length * 10) };
}

export async function measureSpeed(
  sets: RetrievalSet[],
  count: number,
  log: (line: string) => void,
): Promise<SpeedReport> {
  const texts = synthesiseChunks(sets, count);
  const questions = sets.flatMap((set) => set.questions.map((question) => question.text));
  const sample = Array.from({ length: 600 }, (_, i) => questions[(i * 7919) % questions.length]!);
  const embedder = new HashingEmbeddingModel();
  const dimensions = await embedder.dimensions();

  let started = performance.now();
  const embedSample = Math.min(count, 10_000);
  for (let i = 0; i < embedSample; i++) embedder.embedOne(texts[i]!);
  const embedChunksPerSecond = embedSample / ((performance.now() - started) / 1000);

  // Ingestion: embed, vector index, keyword index, chunk store — 100 chunks per document.
  const vector = createUsearchIndex({ dimensions });
  const collection = new MemoryCollection({ embedder, vector });
  started = performance.now();
  for (let d = 0; d < count / 100; d++) {
    await collection.upsertDocument(
      `doc${d}`,
      texts.slice(d * 100, d * 100 + 100).map((text) => ({ text })),
    );
  }
  (collection.lexical as Bm25Index).optimize();
  const ingestSeconds = (performance.now() - started) / 1000;
  log(`ingested ${count} chunks in ${ingestSeconds.toFixed(1)} s`);

  const latencyMs = {} as SpeedReport['latencyMs'];
  for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
    const samples: number[] = [];
    for (const [i, query] of sample.entries()) {
      const t = performance.now();
      await collection.retrieve({ query, mode, topK: 10 });
      if (i >= 50) samples.push(performance.now() - t); // the first 50 warm up
    }
    latencyMs[mode] = { p50: round(percentile(samples, 50), 2), p99: round(percentile(samples, 99), 2) };
  }

  // ANN: our adapter vs the native usearch index underneath it (same graph, so same recall).
  const queryVectors = sample.slice(0, 300).map((query) => embedder.embedOne(query).vector);
  const allVectors = texts.map((text) => embedder.embedOne(text).vector);
  const exact = usearch.exactSearch(
    allVectors,
    queryVectors,
    dimensions,
    10,
    usearch.MetricKind.Cos,
    0,
  ) as BatchMatches;
  const idOf = (row: number) => `doc${Math.floor(row / 100)}#${row % 100}`;
  const keyOf = new Map(vector.keyTable().map((id, key) => [id, String(key)]));
  const truthIds = queryVectors.map((_, q) => Array.from(exact.get(q).keys, (row) => idOf(Number(row))));
  const truthKeys = truthIds.map((ids) => ids.map((id) => keyOf.get(id)!));
  annThroughput(vector, queryVectors, truthIds, false); // warm-up
  const ours = annThroughput(vector, queryVectors, truthIds, false);
  const raw = annThroughput(vector, queryVectors, truthKeys, true);

  // BM25 build and memory vs MiniSearch on the same texts (each measured alone).
  const documents = texts.map((text, i) => ({ id: String(i), text }));
  let before = usedMemory();
  started = performance.now();
  const bm25 = new Bm25Index();
  bm25.add(documents);
  bm25.optimize();
  const buildSeconds = (performance.now() - started) / 1000;
  const memoryMB = (usedMemory() - before) / 2 ** 20;
  bm25.search('warm', { topK: 1 });
  before = usedMemory();
  started = performance.now();
  const mini = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
  mini.addAll(documents);
  const minisearchBuildSeconds = (performance.now() - started) / 1000;
  const minisearchMemoryMB = (usedMemory() - before) / 2 ** 20;
  mini.search('warm');

  return {
    chunks: count,
    ingestChunksPerSecond: Math.round(count / ingestSeconds),
    embedChunksPerSecond: Math.round(embedChunksPerSecond),
    latencyMs,
    ann: {
      oursQps: Math.round(ours.qps),
      rawQps: Math.round(raw.qps),
      ratio: round(ours.qps / raw.qps, 3),
      oursRecall10: round(ours.recall, 4),
      rawRecall10: round(raw.recall, 4),
    },
    bm25: {
      buildSeconds: round(buildSeconds, 2),
      memoryMB: round(memoryMB, 1),
      minisearchBuildSeconds: round(minisearchBuildSeconds, 2),
      minisearchMemoryMB: round(minisearchMemoryMB, 1),
    },
  };
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
