/**
 * @module bench/jobs/claim-latency
 * Claim-to-start latency with three job services sharing one database (PostgreSQL when
 * `KEEL_TEST_DATABASE_URL` is set, otherwise PGlite with the three in one process): the time from
 * `enqueue()` returning to the handler starting. Two cases: enqueued by one of the workers (it
 * looks for work at once), and by a producer that runs no jobs (an API-only replica: the workers
 * find the job on their next poll).
 */
import { JobService } from '../../src/jobs/index.js';
import type { DatabaseV1 } from '../../src/spec/database.js';
import { migrate } from '../../src/storage/core/migrator.js';
import { createPGliteWorkerDatabase } from '../../src/storage/pglite-worker/index.js';
import { createPostgresDatabase } from '../../src/storage/postgres/index.js';
import { createTestPostgresDatabase, testPostgresUrl } from '../../src/testing/database.js';

export interface LatencyFigures {
  engine: 'postgres' | 'pglite';
  jobs: number;
  pollMs: number;
  local: { p50: number; p99: number };
  remote: { p50: number; p99: number };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function measureClaimLatency(jobs: number, pollMs = 500): Promise<LatencyFigures> {
  const databases: DatabaseV1[] = [];
  let drop: (() => Promise<void>) | undefined;
  let engine: LatencyFigures['engine'];
  if (testPostgresUrl) {
    engine = 'postgres';
    const created = await createTestPostgresDatabase();
    drop = created.drop;
    await migrate(created.db);
    databases.push(created.db);
    for (let n = 0; n < 3; n++)
      databases.push(await createPostgresDatabase({ connectionString: created.url, max: 4 }));
  } else {
    engine = 'pglite';
    const db = await createPGliteWorkerDatabase();
    await migrate(db);
    databases.push(db, db, db, db);
  }
  const started = new Map<string, number>();
  const workers = databases.slice(0, 3).map((db, n) => new JobService({ db, owner: `worker-${n}`, pollMs }));
  const producer = new JobService({ db: databases[3]!, owner: 'producer', pollMs });
  for (const worker of workers)
    worker.register('bench.noop', {
      concurrency: 8,
      async run(ctx) {
        started.set(ctx.job.id, performance.now());
      },
    });
  try {
    await Promise.all(workers.map((worker) => worker.start()));
    const measure = async (enqueueWith: (n: number) => JobService) => {
      const latencies: number[] = [];
      for (let n = 0; n < jobs; n++) {
        const job = await enqueueWith(n).enqueue({ projectId: 'bench', kind: 'bench.noop', payload: { n } });
        const enqueued = performance.now();
        while (!started.has(job.id)) await new Promise((resolve) => setTimeout(resolve, 1));
        latencies.push(started.get(job.id)! - enqueued);
        // Spread the arrivals over the poll cycle.
        await new Promise((resolve) => setTimeout(resolve, 7 + (n % 13)));
      }
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    };
    const local = await measure((n) => workers[n % 3]!);
    const remote = await measure(() => producer);
    return { engine, jobs, pollMs, local, remote };
  } finally {
    for (const worker of workers) await worker.stop();
    for (const db of new Set(databases)) await db.close();
    await drop?.();
  }
}
