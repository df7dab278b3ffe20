/**
 * @module bench/data/run
 * The data benchmark.
 * 1. Query overhead for a point query on a 100,000-row Parquet table: DuckDB called directly (one
 *    open connection, the anchor) beside Keel's DataService (a connection per query, parser checks,
 *    bounded streaming, audit) and the HTTP API (`POST /api/v1/data/query`): Keel in its own
 *    process called over 127.0.0.1 with a keep-alive client, as clients call it, and in memory
 *    (`app.request()`), each with the value written in the SQL (literal: a new text every query)
 *    and as a `$1` param (overhead.ts, keel-data-server.mjs).
 * 2. The defog sql-eval databases (../shared/datasets/text2sql-defog-sql-eval): each Postgres dump
 *    runs in PostgreSQL (PGlite) and its tables are written to Parquet (defog-load.ts), those
 *    files become a project's sources, and the gold queries of
 *    questions_gen_postgres.csv run through Keel's read-only query path (a gold query counts when
 *    one of its alternatives runs). Says clearly when the set is missing.
 * 3. Execution accuracy per category on the same questions, through `DataService.ask` (table
 *    selection, generation, checks, run): a result counts when it equals the result of one of the
 *    gold alternatives run on DuckDB directly (rows compared as sorted multisets, numbers to 1e-6).
 *    No model that writes SQL is available here, so the model is a stand-in that answers the first
 *    gold alternative ("gold-echo"): the figure is the ceiling the pipeline allows (dialect, checks,
 *    masking, comparison), not a model's accuracy. Set KEEL_BENCH_MODEL=provider:model to ask a
 *    real one through a configured server instead (not run here).
 *    Join-key discovery (DataService.discoverJoins) is scored against the foreign keys the dumps
 *    declare, read from PostgreSQL's catalog: precision and recall.
 * 4. Export throughput for a 1,000,000-row result: DuckDB's own COPY to a file (the anchor) beside
 *    Keel's export (checked, masked, spooled by COPY, streamed to the caller), CSV and Parquet.
 * Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/data/run.ts          (--overhead-only: section 1 alone;
 *                                      KEEL_BENCH_ITERATIONS=<n> to change the 2,000;
 *                                      KEEL_BENCH_SECTIONS=overhead,defog,exports to pick parts;
 *                                      KEEL_BENCH_DATABASES=broker,yelp to pick sql-eval databases)
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { DataService } from '../../src/data/index.js';
import { createTestDatabase } from '../../src/testing/database.js';
import {
  type DeclaredForeignKey,
  type LoadedDatabase,
  loadDefogDatabase,
  unqualified,
} from './defog-load.js';
import { overheadSection } from './overhead.js';

const DATASET = path.resolve(import.meta.dirname, '../../../shared/datasets/text2sql-defog-sql-eval');
const log = (line: string) => process.stdout.write(`${line}\n`);
const noAudit = { record() {} };

interface JoinScore {
  database: string;
  declared: number;
  proposed: number;
  found: number;
  ms: number;
}

/**
 * Join-key discovery against the foreign keys the dump declares: a proposal counts when it names
 * the same referring and referenced columns. Only 3 of the 11 databases declare any, so precision
 * is reported over those (proposals elsewhere have no truth to be held against).
 */
async function scoreJoins(
  service: DataService,
  database: string,
  declared: readonly DeclaredForeignKey[],
): Promise<JoinScore> {
  const started = performance.now();
  const proposed = await service.discoverJoins(database);
  const ms = performance.now() - started;
  const key = (from: string, fromColumn: string, to: string, toColumn: string) =>
    `${from}.${fromColumn}->${to}.${toColumn}`.toLowerCase();
  const truth = new Set(declared.map((fk) => key(fk.fromTable, fk.fromColumn, fk.toTable, fk.toColumn)));
  const found = proposed.filter((row) =>
    truth.has(key(row.from_table, row.from_column, row.to_table, row.to_column)),
  ).length;
  return { database, declared: truth.size, proposed: proposed.length, found, ms };
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
  if (!existsSync(DATASET)) {
    return { missing: true as const, databases: [], categories: new Map(), joins: [] as JoinScore[] };
  }
  const questions = parse(await readFile(path.join(DATASET, 'questions/questions_gen_postgres.csv')), {
    columns: true,
    relax_quotes: true,
  }) as Array<{ db_name: string; query: string; query_category: string; question: string }>;
  const files = (await readdir(path.join(DATASET, 'databases'))).filter((name) =>
    name.endsWith('.pg_dump.sql.txt'),
  );
  const db = await createTestDatabase();
  await db.query(`INSERT INTO organizations (id, name) VALUES ('bench', 'bench')`);
  let answer = '';
  // The stand-in model: it answers the first gold alternative (see the header).
  const goldEcho = {
    generate: async () => ({ text: JSON.stringify({ sql: answer, explanation: '' }) }),
  } as unknown as ConstructorParameters<typeof DataService>[0]['generation'];
  const service = new DataService({
    db,
    audit: noAudit,
    dataDir: dir,
    localRoots: [dir],
    ...(goldEcho ? { generation: goldEcho } : {}),
  });
  const categories = new Map<string, { asked: number; correct: number }>();
  const joins: JoinScore[] = [];
  const databases = [];
  const only = process.env.KEEL_BENCH_DATABASES?.split(',').map((name) => name.trim());
  for (const name of files.sort()) {
    const database = name.replace('.pg_dump.sql.txt', '');
    if (only && !only.includes(database)) continue;
    const script = await readFile(path.join(DATASET, 'databases', name), 'utf8');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const row = { database, loaded: false, tables: 0, gold: 0, goldRan: 0, error: '' };
    let loaded: LoadedDatabase = { tables: [], foreignKeys: [] };
    try {
      const folder = path.join(dir, database);
      await mkdir(folder, { recursive: true });
      // PostgreSQL (PGlite) runs the dump; DuckDB writes each table to Parquet (defog-load.ts).
      loaded = await loadDefogDatabase(script, folder, connection);
      await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ($1, 'bench', $1)`, [database]);
      for (const table of loaded.tables) {
        // The reference runs on DuckDB directly over the same Parquet files Keel reads.
        await connection.run(`CREATE VIEW "${table.name}" AS SELECT * FROM read_parquet('${table.file}')`);
        await service.add(database, { name: table.name, localPath: table.file });
      }
      row.loaded = true;
      row.tables = loaded.tables.length;
      joins.push(await scoreJoins(service, database, loaded.foreignKeys));
    } catch (error) {
      row.error = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 80);
    }
    if (row.loaded) {
      for (const question of questions.filter((item) => item.db_name === database)) {
        row.gold++;
        const alternatives = expandGold(unqualified(question.query, loaded.tables))
          .split(';')
          .map((text) => text.trim())
          .filter(Boolean);
        const expected: string[] = [];
        for (const sql of alternatives) {
          try {
            expected.push(canonical((await connection.runAndReadAll(sql)).getRowsJson()));
          } catch {
            // An alternative DuckDB cannot run is not a reference.
          }
        }
        for (const sql of alternatives) {
          try {
            await service.query(database, { sql, timeoutMs: 10_000 });
            row.goldRan++;
            break;
          } catch (error) {
            if (!row.error) row.error = (error as Error).message.slice(0, 80);
          }
        }
        const category = categories.get(question.query_category) ?? { asked: 0, correct: 0 };
        category.asked++;
        answer = alternatives[0] ?? '';
        try {
          const asked = await service.ask(database, {
            question: question.question,
            model: 'stand-in:gold-echo',
            role: 'admin',
          });
          if (asked.ok && asked.result && expected.includes(canonical(asked.result.rows))) category.correct++;
        } catch {
          // Counted as wrong.
        }
        categories.set(question.query_category, category);
      }
    }
    databases.push(row);
  }
  service.close();
  return { missing: false as const, databases, categories, joins };
}

/** Rows as a sorted multiset, numbers rounded, for comparing results. */
function canonical(rows: unknown[][]): string {
  const cell = (value: unknown) => {
    const number = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    return typeof number === 'number' ? Number(number.toFixed(6)) : number;
  };
  return JSON.stringify(rows.map((row) => JSON.stringify(row.map(cell))).sort());
}

const EXPORT_ROWS = 1_000_000;

async function exports(dir: string) {
  const file = path.join(dir, 'wide.parquet');
  const maker = await (await DuckDBInstance.create(':memory:')).connect();
  await maker.run(
    `COPY (SELECT i AS id, 'customer ' || i AS name, i * 0.25 AS amount, DATE '2024-01-01' + (i % 365)::INT AS day FROM range(${EXPORT_ROWS}) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  const direct = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  await direct.run(`CREATE VIEW wide AS SELECT * FROM read_parquet('${file}')`);
  const db = await createTestDatabase();
  await db.query(`INSERT INTO organizations (id, name) VALUES ('bench', 'bench')`);
  await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ('exports', 'bench', 'exports')`);
  const service = new DataService({ db, audit: noAudit, dataDir: dir, localRoots: [dir] });
  await service.add('exports', { name: 'wide', localPath: file });
  const results: Array<{ format: string; directMs: number; keelMs: number; bytes: number }> = [];
  for (const format of ['csv', 'parquet'] as const) {
    const out = path.join(dir, `direct.${format}`);
    let started = performance.now();
    await direct.run(`COPY (SELECT * FROM wide) TO '${out}' (FORMAT ${format})`);
    const directMs = performance.now() - started;
    started = performance.now();
    const exported = await service.export('exports', { sql: 'SELECT * FROM wide', format, role: 'admin' });
    let bytes = 0;
    for await (const chunk of exported.body as unknown as AsyncIterable<Uint8Array>)
      bytes += chunk.byteLength;
    const keelMs = performance.now() - started;
    if (exported.rows !== EXPORT_ROWS) throw new Error(`exported ${exported.rows} rows`);
    results.push({ format, directMs, keelMs, bytes });
  }
  service.close();
  return results;
}

const SECTIONS = new Set(
  (process.argv.includes('--overhead-only')
    ? 'overhead'
    : (process.env.KEEL_BENCH_SECTIONS ?? 'overhead,defog,exports')
  )
    .split(',')
    .map((name) => name.trim()),
);
const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-data-'));
try {
  const figures: Record<string, unknown> = { bench: 'data', load_average_1m_at_start: os.loadavg()[0] };
  log(`machine load average (1 min) at start: ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores`);
  if (SECTIONS.has('overhead')) await overheadSection(dir, figures, log);
  if (SECTIONS.has('defog')) {
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
    const withTruth = sets.joins.filter((row) => row.declared > 0);
    const sum = (rows: JoinScore[], field: 'declared' | 'proposed' | 'found') =>
      rows.reduce((total, row) => total + row[field], 0);
    const joinPrecision = sum(withTruth, 'found') / Math.max(1, sum(withTruth, 'proposed'));
    const joinRecall = sum(withTruth, 'found') / Math.max(1, sum(withTruth, 'declared'));
    if (sets.joins.length) {
      log('\njoin-key discovery vs declared foreign keys   declared  proposed  found   ms');
      for (const row of sets.joins) {
        log(
          `${row.database.padEnd(44)} ${String(row.declared).padStart(8)}  ${String(row.proposed).padStart(8)}  ${String(row.found).padStart(5)}  ${row.ms.toFixed(0).padStart(4)}`,
        );
      }
      log(
        `precision ${(100 * joinPrecision).toFixed(1)}%, recall ${(100 * joinRecall).toFixed(1)}% over the ${withTruth.length} databases that declare foreign keys`,
      );
    }
    figures.join_keys = {
      databases_with_declared_keys: withTruth.length,
      declared: sum(withTruth, 'declared'),
      proposed: sum(withTruth, 'proposed'),
      found: sum(withTruth, 'found'),
      precision: joinPrecision,
      recall: joinRecall,
      proposed_where_none_declared: sum(
        sets.joins.filter((row) => row.declared === 0),
        'proposed',
      ),
    };
    const accuracy = [...sets.categories].sort(([a], [b]) => a.localeCompare(b));
    if (accuracy.length) {
      log('\nexecution accuracy, model = gold-echo stand-in (pipeline ceiling, not a model)');
      log('category                     correct/asked');
      for (const [category, { asked, correct }] of accuracy) {
        log(`${category.padEnd(28)} ${correct}/${asked} (${((100 * correct) / asked).toFixed(1)}%)`);
      }
    }
    Object.assign(figures, {
      accuracy_model: 'gold-echo stand-in',
      accuracy: Object.fromEntries(accuracy),
      defog: sets.missing
        ? 'missing'
        : sets.databases.map(({ database, loaded, tables, gold, goldRan }) => ({
            database,
            loaded,
            tables,
            gold,
            gold_ran: goldRan,
          })),
    });
  }

  if (SECTIONS.has('exports')) {
    const exported = await exports(dir);
    log(
      `\nexport of ${EXPORT_ROWS.toLocaleString('en')} rows   DuckDB COPY ms   Keel export ms   ratio   MB`,
    );
    for (const row of exported) {
      log(
        `${row.format.padEnd(24)} ${row.directMs.toFixed(0).padStart(14)}   ${row.keelMs.toFixed(0).padStart(14)}   ${(row.keelMs / row.directMs).toFixed(2).padStart(5)}   ${(row.bytes / 1e6).toFixed(1)}`,
      );
    }
    figures.exports = exported;
  }
  figures.load_average_1m_at_end = os.loadavg()[0];
  log(JSON.stringify(figures));
} finally {
  await rm(dir, { recursive: true, force: true });
}
// The sections' engines leave handles open (the embedded databases' workers and timers): a
// finished run exits rather than idling on them.
process.exit(process.exitCode ?? 0);
