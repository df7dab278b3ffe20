/**
 * @module bench/data/overhead
 * Section 1 of the data benchmark (run.ts): the query overhead of Keel's DataService and HTTP API
 * over DuckDB called directly, for a point query on a 100,000-row Parquet table, with the value
 * written in the SQL (literal: a new text every query) and as a `$1` param. The paths run
 * interleaved, so a busy machine slows every path alike; wall time (p50, p95) and the process's
 * CPU time per query are reported.
 */
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DataService } from '../../src/data/index.js';
import { createTestKeel } from '../../src/testing/test-keel.js';

const ITERATIONS = Number(process.env.KEEL_BENCH_ITERATIONS ?? 2_000);
const ROWS = 100_000;
const noAudit = { record() {} };

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function overhead(dir: string) {
  const file = path.join(dir, 'points.parquet');
  const maker = await (await DuckDBInstance.create(':memory:')).connect();
  await maker.run(
    `COPY (SELECT i AS id, 'name ' || i AS name, i * 0.5 AS score FROM range(${ROWS}) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  const direct = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  await direct.run(`CREATE VIEW points AS SELECT * FROM read_parquet('${file}')`);
  const sql = (index: number) => `SELECT * FROM points WHERE id = ${(index * 7919) % ROWS}`;
  const prepared = 'SELECT * FROM points WHERE id = $1';
  const keel = await createTestKeel({ config: { logging: { level: 'silent' } } });
  const service = new DataService({ db: keel.services.db, audit: noAudit, dataDir: dir, localRoots: [dir] });
  const projectId = (await keel.services.db.query<{ id: string }>('SELECT id FROM projects LIMIT 1')).rows[0]!
    .id;
  await service.add(projectId, { name: 'points', localPath: file });
  // The server's own DataService reads the same source row (same database).
  const paths = [
    async (index: number) => (await direct.runAndReadAll(sql(index))).getRowsJson(),
    (index: number) => service.query(projectId, { sql: sql(index) }),
    (index: number) => service.query(projectId, { sql: prepared, params: [(index * 7919) % ROWS] }),
    async (index: number) => {
      const response = await keel.call('/api/v1/data/query', { json: { sql: sql(index) } });
      if (response.status !== 200) throw new Error(await response.text());
      return response.json();
    },
    // The same point query with its value as a parameter: the checked plan is reused.
    async (index: number) => {
      const response = await keel.call('/api/v1/data/query', {
        json: { sql: prepared, params: [(index * 7919) % ROWS] },
      });
      if (response.status !== 200) throw new Error(await response.text());
      return response.json();
    },
  ];
  // Interleaved, so a busy machine slows every path alike.
  const samples: number[][] = paths.map(() => []);
  // CPU time of the whole process (DuckDB's threads included) per query: on a loaded machine wall
  // time also counts the wait for a core, CPU time does not. Background work (audit flushes)
  // lands on whichever path runs at the time; interleaving spreads it over all four.
  const cpuMicros = paths.map(() => 0);
  for (let index = -50; index < ITERATIONS; index++) {
    for (let offset = 0; offset < paths.length; offset++) {
      const which = (index + 50 + offset) % paths.length;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await paths[which]!(Math.abs(index));
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (index >= 0) {
        samples[which]!.push(elapsed);
        cpuMicros[which]! += used.user + used.system;
      }
    }
  }
  const [directMs, serviceMs, serviceParamsMs, httpMs, paramsMs] = samples as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  service.close();
  await keel.close();
  const cpuMsPerQuery = cpuMicros.map((micros) => micros / 1000 / ITERATIONS) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { directMs, serviceMs, serviceParamsMs, httpMs, paramsMs, cpuMsPerQuery };
}

/** Runs the section, prints its table and adds its figures to `figures`. */
export async function overheadSection(
  dir: string,
  figures: Record<string, unknown>,
  log: (line: string) => void,
): Promise<void> {
  const times = await overhead(dir);
  const p50 = (samples: number[]) => percentile(samples, 50);
  log(`Point query on ${ROWS.toLocaleString('en')} Parquet rows, ${ITERATIONS} queries each`);
  log('path                 p50 ms   p95 ms   CPU ms/query');
  for (const [index, [label, samples]] of (
    [
      ['DuckDB direct', times.directMs],
      ['DataService literal', times.serviceMs],
      ['DataService params', times.serviceParamsMs],
      ['HTTP API literal', times.httpMs],
      ['HTTP API params', times.paramsMs],
    ] as const
  ).entries()) {
    log(
      `${label.padEnd(20)} ${p50(samples).toFixed(3).padStart(7)}  ${percentile(samples, 95).toFixed(3).padStart(7)}  ${times.cpuMsPerQuery[index]!.toFixed(3).padStart(13)}`,
    );
  }
  const [cpuDirect, , , cpuHttp, cpuParams] = times.cpuMsPerQuery;
  log(
    `API CPU overhead over DuckDB direct: ${(cpuHttp - cpuDirect).toFixed(3)} ms per query; with params ${(cpuParams - cpuDirect).toFixed(3)} ms`,
  );
  const apiOverhead = p50(times.httpMs) - p50(times.directMs);
  const paramsOverhead = p50(times.paramsMs) - p50(times.directMs);
  const serviceOverhead = p50(times.serviceMs) - p50(times.directMs);
  const serviceParamsOverhead = p50(times.serviceParamsMs) - p50(times.directMs);
  log(
    `DataService overhead over DuckDB direct (p50): literal ${serviceOverhead.toFixed(3)} ms; params ${serviceParamsOverhead.toFixed(3)} ms`,
  );
  log(
    `API overhead over DuckDB direct (p50): ${apiOverhead.toFixed(3)} ms; with params ${paramsOverhead.toFixed(3)} ms (target <= 1 ms); load average after: ${os.loadavg()[0]!.toFixed(2)}`,
  );
  Object.assign(figures, {
    rows: ROWS,
    iterations: ITERATIONS,
    p50_ms: {
      direct: p50(times.directMs),
      service: p50(times.serviceMs),
      service_params: p50(times.serviceParamsMs),
      http: p50(times.httpMs),
      http_params: p50(times.paramsMs),
    },
    api_overhead_p50_ms: apiOverhead,
    params_overhead_p50_ms: paramsOverhead,
    service_overhead_p50_ms: serviceOverhead,
    service_params_overhead_p50_ms: serviceParamsOverhead,
    cpu_ms_per_query: {
      direct: times.cpuMsPerQuery[0],
      service: times.cpuMsPerQuery[1],
      service_params: times.cpuMsPerQuery[2],
      http: times.cpuMsPerQuery[3],
      http_params: times.cpuMsPerQuery[4],
    },
  });
}
