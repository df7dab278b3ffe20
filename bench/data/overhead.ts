/**
 * @module bench/data/overhead
 * Section 1 of the data benchmark (run.ts): the query overhead of Keel's DataService and HTTP API
 * over DuckDB called directly, for a point query on a 100,000-row Parquet table, with the value
 * written in the SQL (literal: a new text every query) and as a `$1` param.
 *
 * The HTTP API is measured as clients call it: Keel in its own process as `npm start` runs it
 * (keel-data-server.mjs, the built server), called over 127.0.0.1 by an HTTP client in this
 * process holding one keep-alive connection — as bench/gateway measures the gateway. Its CPU per
 * query is the server process's plus this process's (the client's). The in-memory
 * `app.request()` path (the app alone in this process, with the WHATWG Request and Response it
 * builds) is reported beside it, and so is a bare `node:http` server calling DuckDB directly in
 * its own process (bare-duckdb-server.mjs): the floor a socket and a second process put under any
 * server on this machine.
 *
 * The paths take turns in blocks of 100 queries, so a busy machine slows every path alike; wall
 * time (p50, p95) and CPU time per query are reported.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Client } from 'undici';
import { DataService } from '../../src/data/index.js';
import { createTestKeel } from '../../src/testing/test-keel.js';
import { cpuMs, root, startJsonChild } from '../gateway/processes.js';

const ITERATIONS = Number(process.env.KEEL_BENCH_ITERATIONS ?? 2_000);
const ROWS = 100_000;
/** Queries each path runs in its turn. */
const BLOCK = 100;
const noAudit = { record() {} };
const pointSql = (index: number) => `SELECT * FROM points WHERE id = ${(index * 7919) % ROWS}`;
const paramsBody = (index: number) => ({
  sql: 'SELECT * FROM points WHERE id = $1',
  params: [(index * 7919) % ROWS],
});

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Path {
  key: string;
  label: string;
  run(index: number): Promise<unknown>;
  /** Another process doing the work (the server), whose CPU time counts too. */
  pid?: number | undefined;
}

const serverKey = 'keel_bench_data_bootstrap_key_0123456789';

async function overhead(dir: string) {
  const file = path.join(dir, 'points.parquet');
  const maker = await (await DuckDBInstance.create(':memory:')).connect();
  await maker.run(
    `COPY (SELECT i AS id, 'name ' || i AS name, i * 0.5 AS score FROM range(${ROWS}) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  const direct = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  await direct.run(`CREATE VIEW points AS SELECT * FROM read_parquet('${file}')`);
  const keel = await createTestKeel({ config: { logging: { level: 'silent' } } });
  const service = new DataService({ db: keel.services.db, audit: noAudit, dataDir: dir, localRoots: [dir] });
  const projectId = (await keel.services.db.query<{ id: string }>('SELECT id FROM projects LIMIT 1')).rows[0]!
    .id;
  // The server's own DataService reads the same source row (same database).
  await service.add(projectId, { name: 'points', localPath: file });
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-needed'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  const server = await startJsonChild<{ url: string }>(process.execPath, [
    path.join(root, 'bench/data/keel-data-server.mjs'),
    file,
    serverKey,
  ]);
  const bare = await startJsonChild<{ url: string }>(process.execPath, [
    path.join(root, 'bench/data/bare-duckdb-server.mjs'),
    file,
  ]);
  const client = new Client(server.info.url, { pipelining: 1 });
  const bareClient = new Client(bare.info.url, { pipelining: 1 });
  const headers = { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' };
  const overSocket = async (body: unknown, to = client) => {
    const response = await to.request({
      path: '/api/v1/data/query',
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (response.statusCode !== 200) throw new Error(await response.body.text());
    return response.body.json();
  };
  const inMemory = async (body: unknown) => {
    const response = await keel.call('/api/v1/data/query', { json: body });
    if (response.status !== 200) throw new Error(await response.text());
    return response.json();
  };
  const paths: Path[] = [
    {
      key: 'direct',
      label: 'DuckDB direct',
      run: async (index) => (await direct.runAndReadAll(pointSql(index))).getRowsJson(),
    },
    {
      key: 'service',
      label: 'DataService literal',
      run: (index) => service.query(projectId, { sql: pointSql(index) }),
    },
    {
      key: 'service_params',
      label: 'DataService params',
      run: (index) => service.query(projectId, paramsBody(index)),
    },
    {
      key: 'http',
      label: 'HTTP API literal',
      run: (index) => overSocket({ sql: pointSql(index) }),
      pid: server.process.pid,
    },
    {
      key: 'http_params',
      label: 'HTTP API params',
      run: (index) => overSocket(paramsBody(index)),
      pid: server.process.pid,
    },
    {
      key: 'bare',
      label: 'bare HTTP literal',
      run: (index) => overSocket({ sql: pointSql(index) }, bareClient),
      pid: bare.process.pid,
    },
    {
      key: 'bare_params',
      label: 'bare HTTP params',
      run: (index) => overSocket(paramsBody(index), bareClient),
      pid: bare.process.pid,
    },
    { key: 'memory', label: 'in memory literal', run: (index) => inMemory({ sql: pointSql(index) }) },
    { key: 'memory_params', label: 'in memory params', run: (index) => inMemory(paramsBody(index)) },
  ];
  // The paths take turns in blocks of BLOCK queries: a busy machine slows every path alike, and
  // each query follows one of its own path, as on a server answering a stream of them. Taking
  // turns query by query would make each path pay for the caches (and, for the API rows, the
  // other process) the path before it left.
  const samples: number[][] = paths.map(() => []);
  // CPU time of the whole process (DuckDB's threads included) per query: on a loaded machine wall
  // time also counts the wait for a core, CPU time does not. Background work (audit flushes)
  // lands on whichever path runs at the time; taking turns spreads it over all of them.
  const cpuMicros = paths.map(() => 0);
  for (let start = -BLOCK; start < ITERATIONS; start += BLOCK) {
    for (const [which, entry] of paths.entries()) {
      for (let index = start; index < Math.min(start + BLOCK, ITERATIONS); index++) {
        const serverCpu = entry.pid === undefined ? 0 : cpuMs(entry.pid);
        const cpu = process.cpuUsage();
        const started = performance.now();
        await entry.run(Math.abs(index));
        const elapsed = performance.now() - started;
        const used = process.cpuUsage(cpu);
        // The server's CPU is read in clock ticks (10 ms): summed over many queries it averages out.
        const usedByServer = entry.pid === undefined ? 0 : (cpuMs(entry.pid) - serverCpu) * 1000;
        // The first round warms every path up.
        if (index >= 0) {
          samples[which]!.push(elapsed);
          cpuMicros[which]! += used.user + used.system + usedByServer;
        }
      }
    }
  }
  await client.close();
  await bareClient.close();
  await server.stop();
  await bare.stop();
  service.close();
  await keel.close();
  return paths.map((entry, index) => ({
    key: entry.key,
    label: entry.label,
    samples: samples[index]!,
    cpuMs: cpuMicros[index]! / 1000 / ITERATIONS,
  }));
}

/** Runs the section, prints its table and adds its figures to `figures`. */
export async function overheadSection(
  dir: string,
  figures: Record<string, unknown>,
  log: (line: string) => void,
): Promise<void> {
  const measured = await overhead(dir);
  const byKey = Object.fromEntries(measured.map((entry) => [entry.key, entry]));
  const p50 = (key: string) => percentile(byKey[key]!.samples, 50);
  const over = (key: string) => p50(key) - p50('direct');
  log(`Point query on ${ROWS.toLocaleString('en')} Parquet rows, ${ITERATIONS} queries each`);
  log('path                 p50 ms   p95 ms   CPU ms/query   p50 over direct');
  for (const entry of measured) {
    log(
      `${entry.label.padEnd(20)} ${p50(entry.key).toFixed(3).padStart(7)}  ${percentile(entry.samples, 95).toFixed(3).padStart(7)}  ${entry.cpuMs.toFixed(3).padStart(13)}  ${entry.key === 'direct' ? '' : over(entry.key).toFixed(3).padStart(16)}`,
    );
  }
  const cpuOver = (key: string) => byKey[key]!.cpuMs - byKey.direct!.cpuMs;
  log(
    `API (HTTP over a socket) overhead over DuckDB direct (p50): literal ${over('http').toFixed(3)} ms; params ${over('http_params').toFixed(3)} ms (target <= 1 ms); CPU: ${cpuOver('http').toFixed(3)} / ${cpuOver('http_params').toFixed(3)} ms`,
  );
  log(
    `Bare node:http + DuckDB over a socket (the floor any server in its own process pays here): literal ${over('bare').toFixed(3)} ms; params ${over('bare_params').toFixed(3)} ms; Keel's API over it: ${(p50('http') - p50('bare')).toFixed(3)} / ${(p50('http_params') - p50('bare_params')).toFixed(3)} ms`,
  );
  log(
    `In memory (app.request, no socket): literal ${over('memory').toFixed(3)} ms; params ${over('memory_params').toFixed(3)} ms; DataService alone: ${over('service').toFixed(3)} / ${over('service_params').toFixed(3)} ms; load average after: ${os.loadavg()[0]!.toFixed(2)}`,
  );
  Object.assign(figures, {
    rows: ROWS,
    iterations: ITERATIONS,
    p50_ms: Object.fromEntries(measured.map((entry) => [entry.key, p50(entry.key)])),
    api_overhead_p50_ms: over('http'),
    params_overhead_p50_ms: over('http_params'),
    bare_http_overhead_p50_ms: over('bare'),
    bare_http_params_overhead_p50_ms: over('bare_params'),
    memory_overhead_p50_ms: over('memory'),
    memory_params_overhead_p50_ms: over('memory_params'),
    service_overhead_p50_ms: over('service'),
    service_params_overhead_p50_ms: over('service_params'),
    cpu_ms_per_query: Object.fromEntries(measured.map((entry) => [entry.key, entry.cpuMs])),
  });
}
