/**
 * @module bench/data/run
 * The data benchmark.
 * 1. Query overhead for a point query on a 100,000-row Parquet table: DuckDB called directly (one
 *    open connection, the anchor) beside Keel's DataService (a connection per query, parser checks,
 *    bounded streaming, audit) and the HTTP API in process (`POST /api/v1/data/query`).
 * 2. The defog sql-eval databases (../shared/datasets/text2sql-defog-sql-eval): each Postgres dump
 *    is loaded into DuckDB, its tables become a project's sources, and the gold queries of
 *    questions_gen_postgres.csv run through Keel's read-only query path (a gold query counts when
 *    one of its alternatives runs). Says clearly when the set is missing.
 * Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/data/run.ts          (KEEL_BENCH_ITERATIONS=<n> to change the 2,000)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { DataService } from '../../src/data/index.js';
import { createTestDatabase } from '../../src/testing/database.js';
import { createTestKeel } from '../../src/testing/test-keel.js';

const ITERATIONS = Number(process.env.KEEL_BENCH_ITERATIONS ?? 2_000);
const ROWS = 100_000;
const DATASET = path.resolve(import.meta.dirname, '../../../shared/datasets/text2sql-defog-sql-eval');
const log = (line: string) => process.stdout.write(`${line}\n`);
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
  const keel = await createTestKeel({ config: { logging: { level: 'silent' } } });
  const service = new DataService({ db: keel.services.db, audit: noAudit, dataDir: dir, localRoots: [dir] });
  const projectId = (await keel.services.db.query<{ id: string }>('SELECT id FROM projects LIMIT 1')).rows[0]!
    .id;
  await service.add(projectId, { name: 'points', localPath: file });
  // The server's own DataService reads the same source row (same database).
  const paths = [
    async (index: number) => (await direct.runAndReadAll(sql(index))).getRowsJson(),
    (index: number) => service.query(projectId, { sql: sql(index) }),
    async (index: number) => {
      const response = await keel.call('/api/v1/data/query', { json: { sql: sql(index) } });
      if (response.status !== 200) throw new Error(await response.text());
      return response.json();
    },
  ];
  // Interleaved, so a busy machine slows every path alike.
  const samples: number[][] = [[], [], []];
  for (let index = -50; index < ITERATIONS; index++) {
    for (let offset = 0; offset < paths.length; offset++) {
      const which = (index + 50 + offset) % paths.length;
      const started = performance.now();
      await paths[which]!(Math.abs(index));
      if (index >= 0) samples[which]!.push(performance.now() - started);
    }
  }
  const [directMs, serviceMs, httpMs] = samples as [number[], number[], number[]];
  service.close();
  await keel.close();
  return { directMs, serviceMs, httpMs };
}

/** sql-eval's `{a, b}` column alternatives: this takes all of them, `{}` repeats the last list. */
function expandGold(sql: string): string {
  let last = '';
  return sql.replace(/\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.trim()) last = inner;
    return last;
  });
}

async function defog(dir: string) {
  if (!existsSync(DATASET)) return { missing: true as const, databases: [] };
  const questions = parse(await readFile(path.join(DATASET, 'questions/questions_gen_postgres.csv')), {
    columns: true,
    relax_quotes: true,
  }) as Array<{ db_name: string; query: string; query_category: string }>;
  const files = (await readdir(path.join(DATASET, 'databases'))).filter((name) =>
    name.endsWith('.pg_dump.sql.txt'),
  );
  const db = await createTestDatabase();
  await db.query(`INSERT INTO organizations (id, name) VALUES ('bench', 'bench')`);
  const service = new DataService({ db, audit: noAudit, dataDir: dir, localRoots: [dir] });
  const databases = [];
  for (const name of files.sort()) {
    const database = name.replace('.pg_dump.sql.txt', '');
    const script = (await readFile(path.join(DATASET, 'databases', name), 'utf8'))
      .split('\n')
      .filter((line) => !/^(CREATE SCHEMA|SET |SELECT pg_catalog|ALTER .* OWNER)/.test(line))
      .join('\n')
      .replaceAll(/\bpublic\./g, '');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const row = { database, loaded: false, tables: 0, gold: 0, goldRan: 0, error: '' };
    try {
      await connection.run(script);
      const tables = (await connection.runAndReadAll('SELECT table_name FROM duckdb_tables()')).getRowsJson();
      await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ($1, 'bench', $1)`, [database]);
      const folder = path.join(dir, database);
      await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
      for (const [table] of tables) {
        const file = path.join(folder, `${table}.parquet`);
        await connection.run(`COPY "${table}" TO '${file}' (FORMAT parquet)`);
        await service.add(database, { name: String(table), localPath: file });
      }
      row.loaded = true;
      row.tables = tables.length;
    } catch (error) {
      row.error = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 80);
    }
    if (row.loaded) {
      for (const question of questions.filter((item) => item.db_name === database)) {
        row.gold++;
        const alternatives = expandGold(question.query)
          .split(';')
          .map((text) => text.trim())
          .filter(Boolean);
        for (const sql of alternatives) {
          try {
            await service.query(database, { sql, timeoutMs: 10_000 });
            row.goldRan++;
            break;
          } catch (error) {
            if (!row.error) row.error = (error as Error).message.slice(0, 80);
          }
        }
      }
    }
    databases.push(row);
  }
  service.close();
  return { missing: false as const, databases };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-data-'));
try {
  const times = await overhead(dir);
  const p50 = (samples: number[]) => percentile(samples, 50);
  log(`Point query on ${ROWS.toLocaleString('en')} Parquet rows, ${ITERATIONS} queries each`);
  log('path            p50 ms   p95 ms');
  for (const [label, samples] of [
    ['DuckDB direct', times.directMs],
    ['DataService', times.serviceMs],
    ['HTTP API', times.httpMs],
  ] as const) {
    log(
      `${label.padEnd(15)} ${p50(samples).toFixed(3).padStart(7)}  ${percentile(samples, 95).toFixed(3).padStart(7)}`,
    );
  }
  const apiOverhead = p50(times.httpMs) - p50(times.directMs);
  log(`API overhead over DuckDB direct (p50): ${apiOverhead.toFixed(3)} ms (target <= 1 ms)`);

  const sets = await defog(dir);
  if (sets.missing) log(`\ndefog sql-eval: MISSING (${DATASET} not found); skipped.`);
  else {
    log('\ndefog sql-eval database   loaded  tables  gold queries run through Keel');
    for (const row of sets.databases) {
      log(
        `${row.database.padEnd(25)} ${String(row.loaded).padEnd(7)} ${String(row.tables).padStart(6)}  ${row.goldRan}/${row.gold}${row.error ? `  (${row.error})` : ''}`,
      );
    }
  }
  log(
    JSON.stringify({
      bench: 'data',
      rows: ROWS,
      iterations: ITERATIONS,
      p50_ms: { direct: p50(times.directMs), service: p50(times.serviceMs), http: p50(times.httpMs) },
      api_overhead_p50_ms: apiOverhead,
      defog: sets.missing
        ? 'missing'
        : sets.databases.map(({ database, loaded, tables, gold, goldRan }) => ({
            database,
            loaded,
            tables,
            gold,
            gold_ran: goldRan,
          })),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
