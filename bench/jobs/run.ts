/**
 * @module bench/jobs/run
 * The job service benchmark: (a) ingestion of small documents through `rag.ingest` on PGlite,
 * beside the one-transaction-per-document path it replaced; (b) claim-to-start latency with
 * three job services on one database. Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/jobs/run.ts   (KEEL_BENCH_DOCS=<n>, default 10000; KEEL_TEST_DATABASE_URL for PostgreSQL in (b))
 */
import { measureClaimLatency } from './claim-latency.js';
import { measureIngest } from './ingest-speed.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const documents = Number(process.env.KEEL_BENCH_DOCS ?? 10_000);
  const ingest = await measureIngest(documents, Math.min(2000, documents));
  const latency = await measureClaimLatency(Number(process.env.KEEL_BENCH_CLAIMS ?? 100));
  const ratio = ingest.docsPerSecond / ingest.anchorDocsPerSecond;
  log('| measure | keel | anchor | ratio |');
  log('|---|---|---|---|');
  log(
    `| ingestion, ${ingest.documents} small documents, PGlite (docs/s) | ${ingest.docsPerSecond.toFixed(0)} | ${ingest.anchorDocsPerSecond.toFixed(0)} (one transaction per document, ${ingest.anchorDocuments} docs) | ${ratio.toFixed(1)}× |`,
  );
  log(
    `| of which: adding (ms) / job (ms) | ${ingest.enqueueMs.toFixed(0)} / ${ingest.jobMs.toFixed(0)} | | |`,
  );
  log(
    `| claim-to-start, 3 services on ${latency.engine}, enqueued by a worker (p50 / p99 ms) | ${latency.local.p50.toFixed(1)} / ${latency.local.p99.toFixed(1)} | | |`,
  );
  log(
    `| claim-to-start, enqueued by a producer, poll ${latency.pollMs} ms (p50 / p99 ms) | ${latency.remote.p50.toFixed(1)} / ${latency.remote.p99.toFixed(1)} | | |`,
  );
  log(
    JSON.stringify({
      bench: 'jobs',
      ingest_docs: ingest.documents,
      ingest_docs_per_s: Math.round(ingest.docsPerSecond),
      ingest_enqueue_ms: Math.round(ingest.enqueueMs),
      ingest_job_ms: Math.round(ingest.jobMs),
      anchor_docs_per_s: Math.round(ingest.anchorDocsPerSecond),
      ingest_ratio: Math.round(ratio * 100) / 100,
      claim_engine: latency.engine,
      claim_local_p50_ms: Math.round(latency.local.p50 * 10) / 10,
      claim_local_p99_ms: Math.round(latency.local.p99 * 10) / 10,
      claim_remote_p50_ms: Math.round(latency.remote.p50 * 10) / 10,
      claim_remote_p99_ms: Math.round(latency.remote.p99 * 10) / 10,
      poll_ms: latency.pollMs,
    }),
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
