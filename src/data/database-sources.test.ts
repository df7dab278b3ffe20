/**
 * More kinds of source: a table of a DuckDB database file (local or uploaded, named or the file's
 * only table), a local folder of Parquet files read together, and SQLite files, which need DuckDB's
 * sqlite extension, and https URLs of files or Iceberg tables, which need the httpfs and iceberg
 * extensions (not installed here: the coded error says which file to put where). Tables of
 * different files join in one query; the attached files' other tables, and the files themselves,
 * stay out of reach of queries.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/database.js';
import { codeOf } from '../testing/outcomes.js';
import { DataService } from './data-service.js';

describe('database files and folders as sources', () => {
  let dir: string;
  let allowed: string;
  let service: DataService;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-db-'));
    allowed = path.join(dir, 'allowed');
    await mkdir(path.join(allowed, 'sales'), { recursive: true });
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const writer = await DuckDBInstance.create(':memory:');
    const connection = await writer.connect();
    await connection.run(`ATTACH '${path.join(allowed, 'shop.duckdb')}' AS shop`);
    await connection.run(
      'CREATE TABLE shop.customers AS SELECT * FROM (VALUES (1, $$Ana$$), (2, $$Bo$$)) t(id, name)',
    );
    await connection.run('CREATE TABLE shop.secrets AS SELECT 42 AS answer');
    await connection.run(`ATTACH '${path.join(allowed, 'one.duckdb')}' AS one`);
    await connection.run(
      'CREATE TABLE one.orders AS SELECT * FROM (VALUES (10, 1, 9.5), (11, 2, 3.0), (12, 1, 1.5)) t(id, customer, total)',
    );
    for (const [file, rows] of [
      ['2025.parquet', '(1, 100), (2, 50)'],
      ['2026.parquet', '(3, 70)'],
    ] as const) {
      await connection.run(
        `COPY (SELECT * FROM (VALUES ${rows}) t(id, amount)) TO '${path.join(allowed, 'sales', file)}' (FORMAT parquet)`,
      );
    }
    await connection.run('DETACH shop');
    await connection.run('DETACH one');
    connection.closeSync();
    writer.closeSync();

    db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one')`);
    service = new DataService({ db, audit: { record: () => {} }, dataDir: dir, localRoots: [allowed] });
  });
  afterAll(async () => {
    service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads tables of DuckDB files, local and uploaded, and joins them', async () => {
    const local = await service.add('p1', {
      name: 'customers',
      localPath: path.join(allowed, 'shop.duckdb'),
      table: 'customers',
    });
    expect(local).toMatchObject({ format: 'duckdb', origin: 'local', source_table: 'customers' });
    // The file's only table, uploaded.
    const uploaded = await service.add('p1', {
      name: 'orders',
      data: new Uint8Array(await readFile(path.join(allowed, 'one.duckdb'))),
      fileName: 'one.duckdb',
    });
    expect(uploaded).toMatchObject({ format: 'duckdb', origin: 'upload', source_table: 'orders' });
    const joined = await service.query('p1', {
      sql: 'SELECT c.name, sum(o.total)::DOUBLE AS spent FROM orders o JOIN customers c ON c.id = o.customer GROUP BY 1 ORDER BY 1',
    });
    expect(joined.rows).toEqual([
      ['Ana', 11],
      ['Bo', 3],
    ]);
    expect((await service.catalog('p1', 'customers')).columns.map((c) => c.name)).toEqual(['id', 'name']);
  });

  it('keeps the attached files other tables and the files themselves out of reach', async () => {
    for (const sql of [
      'SELECT * FROM src_0.secrets',
      'SELECT * FROM src_0.customers',
      `SELECT * FROM read_parquet('${path.join(allowed, 'sales', '2025.parquet')}')`,
      "ATTACH 'x.duckdb' AS x",
    ]) {
      expect(await codeOf(service.query('p1', { sql }))).toMatch(/^(data_query_refused|not_found):/);
    }
  });

  it('reads a folder of Parquet files as one table', async () => {
    const folder = await service.add('p1', {
      name: 'sales',
      localPath: path.join(allowed, 'sales'),
      format: 'parquet',
    });
    expect(folder.path.endsWith(path.sep)).toBe(true);
    expect(folder.size_bytes).toBeGreaterThan(0);
    expect((await service.query('p1', { sql: 'SELECT count(*), sum(amount) FROM sales' })).rows).toEqual([
      [3, 220],
    ]);
  });

  it('refuses what it cannot read, with coded errors', async () => {
    const shop = path.join(allowed, 'shop.duckdb');
    expect(await codeOf(service.add('p1', { name: 'both', localPath: shop }))).toBe(
      'invalid_request:table_required',
    );
    expect(await codeOf(service.add('p1', { name: 'nope', localPath: shop, table: 'nope' }))).toBe(
      'invalid_request:unknown_table',
    );
    expect(await codeOf(service.add('p1', { name: 'folder', localPath: path.join(allowed, 'sales') }))).toBe(
      'invalid_request:unknown_format',
    );
    await writeFile(path.join(allowed, 'legacy.sqlite'), 'SQLite format 3\0');
    const sqlite = service.add('p1', { name: 'legacy', localPath: path.join(allowed, 'legacy.sqlite') });
    await expect(sqlite).rejects.toMatchObject({
      code: 'not_implemented',
      issues: [{ code: 'extension_missing' }],
      message: expect.stringMatching(/sqlite_scanner\.duckdb_extension.*data\.extensionDirectory/),
    });
    // Remote files and Iceberg tables: refused before any request for a private address, and
    // read through DuckDB's httpfs (and iceberg) extensions, not installed here.
    const url = 'http://127.0.0.1:9/sales/2025.parquet';
    expect(await codeOf(service.add('p1', { name: 'remote', url }))).toMatch(/^(forbidden|invalid_request):/);
    expect(await codeOf(service.add('p1', { name: 'remote', url: 'ftp://example.com/x.csv' }))).toBe(
      'invalid_request:',
    );
    const open = new DataService({
      db,
      audit: { record: () => {} },
      dataDir: dir,
      allowPrivateNetwork: true,
    });
    for (const [input, extension] of [
      [{ url }, 'httpfs'],
      [{ url: 'http://127.0.0.1:9/warehouse/orders', format: 'iceberg' as const }, 'httpfs'],
    ] as const) {
      await expect(open.add('p1', { name: 'remote', ...input })).rejects.toMatchObject({
        code: 'not_implemented',
        issues: [{ code: 'extension_missing' }],
        message: expect.stringContaining(`${extension}.duckdb_extension`),
      });
    }
    expect(await codeOf(open.add('p1', { name: 'remote', url, format: 'duckdb' }))).toBe(
      'invalid_request:unknown_format',
    );
    open.close();
    // Nothing half-added.
    expect((await service.sources('p1')).map((s) => s.name).sort()).toEqual(['customers', 'orders', 'sales']);
  });
});
