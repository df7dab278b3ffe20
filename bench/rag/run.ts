/**
 * @module bench/rag/run
 * The RAG benchmark: retrieval quality on KorQuAD 1.0 dev and XQuAD (en) beside MiniSearch, speed
 * at 100k chunks, and PDF extraction beside pdftotext. Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/rag/run.ts            (KEEL_DATASETS=<dir> to read the datasets elsewhere;
 *                                        KEEL_BENCH_CHUNKS=<n> to change the 100k)
 */
import { measureCollections } from './collections-speed.js';
import { loadRetrievalSet, type RetrievalSet } from './datasets.js';
import { measurePdf } from './pdf-speed.js';
import { measureQuality, type QualityReport } from './quality.js';
import { measureSpeed } from './speed.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  let sets: RetrievalSet[];
  try {
    sets = [loadRetrievalSet('korquad'), loadRetrievalSet('xquad')];
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const quality: Record<string, QualityReport> = {};
  for (const set of sets) {
    log(`\n## ${set.name}: ${set.paragraphs.length} paragraphs, ${set.questions.length} questions`);
    quality[set.name] = await measureQuality(set);
    log('| run | recall@1 | recall@5 | recall@10 | MRR@10 |');
    log('|---|---|---|---|---|');
    for (const [name, m] of Object.entries(quality[set.name]!)) {
      log(
        `| ${name} | ${m.recall1.toFixed(4)} | ${m.recall5.toFixed(4)} | ${m.recall10.toFixed(4)} | ${m.mrr10.toFixed(4)} |`,
      );
    }
  }

  const chunks = Number(process.env.KEEL_BENCH_CHUNKS ?? 100_000);
  log(`\n## speed at ${chunks} chunks`);
  const speed = await measureSpeed(sets, chunks, log);
  log('| what | keel | anchor | ratio |');
  log('|---|---|---|---|');
  log(`| ingestion (hashing embedder + usearch + BM25), chunks/s | ${speed.ingestChunksPerSecond} | | |`);
  log(`| hashing embedder alone, chunks/s | ${speed.embedChunksPerSecond} | | |`);
  for (const [mode, latency] of Object.entries(speed.latencyMs)) {
    log(`| ${mode} query p50 / p99, ms | ${latency.p50} / ${latency.p99} | | |`);
  }
  log(
    `| ANN queries/s (recall@10) vs raw usearch, same graph | ${speed.ann.oursQps} (${speed.ann.oursRecall10}) | ${speed.ann.rawQps} (${speed.ann.rawRecall10}) | ${speed.ann.ratio} |`,
  );
  log(
    `| BM25 build s vs MiniSearch | ${speed.bm25.buildSeconds} | ${speed.bm25.minisearchBuildSeconds} | ${(speed.bm25.buildSeconds / speed.bm25.minisearchBuildSeconds).toFixed(2)} |`,
  );
  log(
    `| BM25 memory MB vs MiniSearch | ${speed.bm25.memoryMB} | ${speed.bm25.minisearchMemoryMB} | ${(speed.bm25.memoryMB / speed.bm25.minisearchMemoryMB).toFixed(2)} |`,
  );

  const english = sets[1]!.paragraphs.flatMap((paragraph) => paragraph.text.split(/(?<=\.)\s+/));
  const pdf = await measurePdf(200, english);
  log(
    `| PDF pages/s vs pdftotext (${pdf.pages} pages) | ${pdf.keelPagesPerSecond} | ${pdf.pdftotextPagesPerSecond ?? 'not installed'} | ${pdf.pdftotextPagesPerSecond ? (pdf.keelPagesPerSecond / pdf.pdftotextPagesPerSecond).toFixed(2) : ''} |`,
  );

  const collections = await measureCollections(sets);
  log(`\n## collections on the embedded database (${collections.documents} paragraphs as documents)`);
  log('| what | value |');
  log('|---|---|');
  log(
    `| ingestion job (load, chunk, injection scan, embed, commit per document) | ${collections.chunksPerSecond} chunks/s, ${collections.documentsPerSecond} documents/s (${collections.ingestSeconds} s) |`,
  );
  log(
    `| keyword search through the collection, p50 / p99 | ${collections.searchP50Ms} / ${collections.searchP99Ms} ms |`,
  );
  log(
    `| recall@1 through the collection | ${Object.entries(collections.recall1)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')} |`,
  );

  log(JSON.stringify({ bench: 'rag', quality, speed, pdf, collections }));
}

await main();
