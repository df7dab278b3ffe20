import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/database.js';
import { codeOf } from '../testing/outcomes.js';
import { DataService } from './data-service.js';

const encode = (text: string) => new TextEncoder().encode(text);
const people = 'id,name,city\n1,Ana,Seoul\n2,Bo,\n3,Cy,Busan\n4,Di,Seoul\n';

describe('DataService', () => {
  let dir: string;
  let outside: string;
  let service: DataService;
  const records: Array<{ action: string; detail?: unknown }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-'));
    outside = path.join(dir, 'outside.csv');
    await writeFile(outside, 'secret\n42\n');
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(
      `INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one'), ('p2', 'o1', 'two')`,
    );
    service = new DataService({
      db,
      audit: {
        record: (event) => {
          records.push(event);
        },
      },
      dataDir: dir,
      localRoots: [path.join(dir, 'allowed')],
      timeoutMs: 300,
    });
    await service.add('p1', { name: 'people', data: encode(people), fileName: 'people.csv' });
    await service.add('p2', { name: 'orders', data: encode('id,total\n1,9.5\n'), fileName: 'o.csv' });
  });
  afterAll(async () => {
    service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queries a source and audits who, SQL, tables and rows', async () => {
    const result = await service.query('p1', {
      sql: "WITH s AS (SELECT * FROM people WHERE city = 'Seoul') SELECT name FROM s ORDER BY id",
    });
    expect(result.rows).toEqual([['Ana'], ['Di']]);
    expect(result.tables).toEqual(['people']);
    const audit = records.find((record) => record.action === 'data.query');
    expect(audit?.detail).toMatchObject({ tables: 'people', rows: 2 });
  });

  it('binds params ($1, $2) and keeps one plan for the SQL text', async () => {
    const sql = 'SELECT name FROM people WHERE city = $1 AND id > $2 ORDER BY id';
    expect((await service.query('p1', { sql, params: ['Seoul', 0] })).rows).toEqual([['Ana'], ['Di']]);
    expect((await service.query('p1', { sql, params: ['Busan', 0] })).rows).toEqual([['Cy']]);
  });

  it('describes the catalog: types, row count, null rates, samples, editable descriptions', async () => {
    await service.describe('p1', 'people', { description: 'Customers', columns: { city: 'Home city' } });
    const catalog = await service.catalog('p1', 'people');
    expect(catalog.rowCount).toBe(4);
    expect(catalog.description).toBe('Customers');
    const city = catalog.columns.find((column) => column.name === 'city')!;
    expect(city.nullRate).toBeCloseTo(0.25);
    expect(city.description).toBe('Home city');
    expect(city.samples.length).toBeGreaterThan(0);
    expect(catalog.columns.map((column) => column.type)).toContain('BIGINT');
  });

  it('limits rows and says the result was truncated (a huge result is never read whole)', async () => {
    const result = await service.query('p1', { sql: 'SELECT * FROM range(100000000000)', maxRows: 5 });
    expect(result.rows).toHaveLength(5);
    expect(result.truncated).toBe(true);
  });

  const refusals: Array<[string, string]> = [
    ['multiple statements', 'SELECT 1; SELECT 2'],
    ['COPY', "COPY people TO 'x.csv'"],
    ['ATTACH', "ATTACH 'other.db'"],
    ['INSTALL', 'INSTALL httpfs'],
    ['LOAD', 'LOAD httpfs'],
    ['PRAGMA', 'PRAGMA version'],
    ['SET', 'SET threads = 4'],
    ['EXPORT DATABASE', "EXPORT DATABASE 'out'"],
    ['CTE-hidden write', 'WITH d AS (DELETE FROM people RETURNING *) SELECT * FROM d'],
    ['comment-split keyword', 'SEL/**/ECT 1'],
    ['write after a comment', 'SELECT 1 /* ; */; DROP VIEW people'],
    ['DML', 'DELETE FROM people'],
  ];
  for (const [label, sql] of refusals) {
    it(`refuses ${label}`, async () => {
      expect(await codeOf(service.query('p1', { sql }))).toMatch(/^data_query_refused:/);
    });
  }

  it('refuses file readers, even on a path inside the data directory, and file paths as tables', async () => {
    expect(await codeOf(service.query('p1', { sql: `SELECT * FROM read_csv('${outside}')` }))).toBe(
      'data_query_refused:table_function',
    );
    expect(await codeOf(service.query('p1', { sql: "SELECT * FROM glob('/*')" }))).toBe(
      'data_query_refused:table_function',
    );
    expect(await codeOf(service.query('p1', { sql: `SELECT * FROM '${outside}'` }))).toBe(
      'not_found:unknown_table',
    );
  });

  it("cannot see another project's table", async () => {
    expect(await codeOf(service.query('p1', { sql: 'SELECT * FROM orders' }))).toBe(
      'not_found:unknown_table',
    );
    expect(await codeOf(service.catalog('p1', 'orders'))).toBe('not_found:unknown_table');
    expect((await service.query('p2', { sql: 'SELECT count(*) AS n FROM orders' })).rows).toEqual([[1]]);
  });

  it('stops a never-ending query at its time limit', async () => {
    const sql = 'SELECT count(*) FROM range(1000000000000) a';
    expect(await codeOf(service.query('p1', { sql }))).toBe('timeout:query_timeout');
  });

  it('cancels a query when the caller goes away', async () => {
    const controller = new AbortController();
    const running = service.query('p1', {
      sql: 'SELECT count(*) FROM range(1000000000000) a',
      signal: controller.signal,
      timeoutMs: 300,
    });
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(running)).toBe('client_closed:query_cancelled');
  });

  it('refuses a malformed CSV when it is added, and keeps no file', async () => {
    const bad = encode('a,b\n1,2\n3,4,5,6\n"unterminated\n');
    expect(await codeOf(service.add('p1', { name: 'bad', data: bad, fileName: 'bad.csv' }))).toBe(
      'invalid_data_file:unreadable_file',
    );
    expect((await service.sources('p1')).map((source) => source.name)).toEqual(['people']);
  });

  it('answers a coded error when a local source file disappeared from disk', async () => {
    const allowed = path.join(dir, 'allowed');
    await mkdir(allowed, { recursive: true });
    const file = path.join(allowed, 'gone.csv');
    await writeFile(file, 'a\n1\n');
    await service.add('p2', { name: 'gone', localPath: file });
    await rm(file);
    expect(await codeOf(service.query('p2', { sql: 'SELECT 1' }))).toBe(
      'invalid_data_file:unreadable_source',
    );
    await service.remove('p2', 'gone');
    expect((await service.query('p2', { sql: 'SELECT count(*) FROM orders' })).rows).toEqual([[1]]);
  });

  it('accepts local paths only under allowed folders', async () => {
    expect(await codeOf(service.add('p1', { name: 'leak', localPath: outside }))).toBe(
      'forbidden:local_path_not_allowed',
    );
    const allowed = path.join(dir, 'allowed');
    await mkdir(allowed, { recursive: true });
    await writeFile(path.join(allowed, 'cities.json'), '[{"city":"Seoul","pop":9.4}]');
    await service.add('p1', { name: 'cities', localPath: path.join(allowed, 'cities.json') });
    const joined = await service.query('p1', {
      sql: 'SELECT p.name, c.pop FROM people p JOIN cities c USING (city) ORDER BY p.id',
    });
    expect(joined.rows).toEqual([
      ['Ana', 9.4],
      ['Di', 9.4],
    ]);
    await service.remove('p1', 'cities');
  });
});
