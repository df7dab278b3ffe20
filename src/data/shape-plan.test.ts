import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { createTestDatabase } from '../testing/database.js';
import { DataService } from './data-service.js';
import { ProjectEngine } from './engine.js';
import { GovernanceStore } from './governance-store.js';
import { planQuery } from './query-plan.js';
import { runBounded } from './query-runner.js';
import { runChecked } from './shape-plan.js';

const people = [
  'id,name,city,email,score',
  '1,Ana,Seoul,ana@example.com,1.5',
  "2,it's,Busan,bo@example.com,2",
  "3,'; DROP TABLE people; --,Seoul,x@example.com,3",
  '4,서울 😀,Busan,,4.5',
  '5,$$x$$,Seoul,y@example.com,5',
  '6,-- c,,z@example.com,6',
  '',
].join('\n');

/** SQL text of a string constant. */
const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;
const strings = ['Ana', "it's", "'; DROP TABLE people; --", '서울 😀', '$$x$$', '-- c', '/* c */', '', 'Bo'];
const integers = ['1', '2', '007', '0', '3000000000', '99999999999999999999'];

/** Each family: one shape, written with each value; the first variant verifies the shape. */
const families: Array<{ sql: (value: string) => string; values: string[]; role?: string }> = [
  {
    sql: (value) => `SELECT id, name FROM people WHERE name = ${value}`,
    values: strings.map(quoted),
    role: 'viewer',
  },
  {
    sql: (value) => `SELECT id, name FROM people WHERE name = ${value}`,
    values: strings.map(quoted),
    role: 'admin',
  },
  { sql: (value) => `SELECT * FROM people WHERE id = ${value}`, values: integers, role: 'admin' },
  { sql: (value) => `SELECT * FROM people WHERE id = ${value}`, values: integers, role: 'viewer' },
  // A filter on a masked column compares the masked value, on both paths.
  {
    sql: (value) => `SELECT name FROM people WHERE email = ${value}`,
    values: ["'ana@example.com'", "'x'"],
    role: 'viewer',
  },
  {
    sql: (value) => `SELECT name FROM people WHERE email = ${value}`,
    values: ["'ana@example.com'", "'x'"],
    role: 'admin',
  },
  {
    sql: (value) =>
      `SELECT city, count(*) AS n FROM people GROUP BY city HAVING count(*) > ${value} ORDER BY city`,
    values: ['0', '1', '2', '9'],
  },
  { sql: (value) => `SELECT id FROM people /* id = 1 */ WHERE id = ${value} -- OR id = 2`, values: integers },
  {
    sql: (value) => `SELECT id FROM people WHERE score > ${value} ORDER BY id`,
    values: ['1', '4', '9007199254740993'],
  },
  {
    sql: (value) => `SELECT id FROM people WHERE name COLLATE nocase = ${value} ORDER BY id`,
    values: ["'ANA'", "'IT''S'", "'ana'"],
  },
  {
    sql: (value) =>
      `SELECT a.id, b.city FROM people a JOIN people b ON a.id = b.id AND b.city = ${value} WHERE a.id IN (SELECT id FROM people WHERE score < ${value === "'Seoul'" ? 9 : 3}) ORDER BY a.id`,
    values: ["'Seoul'", "'Busan'", "''"],
  },
  // Kinds the column does not take: the shape is not used, the full path decides.
  { sql: (value) => `SELECT id FROM people WHERE name = ${value}`, values: ['1', '2'] },
  { sql: (value) => `SELECT id FROM people WHERE id = ${value}`, values: ["'1'", "'x'"] },
  // Refused whatever the value: never a verified shape.
  { sql: (value) => `SELECT * FROM people WHERE id = ${value}; DROP TABLE people`, values: integers },
  { sql: (value) => `SELECT * FROM orders WHERE id = ${value}`, values: integers },
  { sql: (value) => `SELECT * FROM read_csv('people.csv') WHERE id = ${value}`, values: integers },
  { sql: (value) => `SELECT * FROM people WHERE id = ${value} UNION SELECT * FROM orders`, values: integers },
];

type Outcome = { code: string } | { tables: string[]; masked: string[]; columns: unknown; rows: unknown };

async function outcome(
  run: () => Promise<{
    planned: { tables: string[]; masked: string[]; sql: string };
    result: { columns: unknown; rows: unknown };
  }>,
): Promise<{ outcome: Outcome; shaped: boolean }> {
  try {
    const { planned, result } = await run();
    const { tables, masked } = planned;
    return {
      outcome: { tables, masked, columns: result.columns, rows: result.rows },
      shaped: planned.sql.includes('$1'),
    };
  } catch (error) {
    if (!(error instanceof KeelError)) throw error;
    return { outcome: { code: `${error.code}:${error.issues?.[0]?.code}` }, shaped: false };
  }
}

describe('literal queries through their shape', () => {
  let dir: string;
  let engine: ProjectEngine;
  let connection: DuckDBConnection;
  let governance: GovernanceStore;
  const bounds = { maxRows: 100, timeoutMs: 10_000 };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-shape-'));
    const file = path.join(dir, 'people.csv');
    await writeFile(file, people);
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one')`);
    governance = new GovernanceStore({ db, audit: { record: () => {} }, secretKey: Buffer.from('k') });
    await governance.setTags('p1', 'people', 'email', ['pii']);
    await governance.addPolicy('p1', { tag: 'pii', method: 'hash', roles: ['viewer'] });
    engine = await ProjectEngine.open([{ name: 'people', format: 'csv', path: file }], {
      memoryLimit: '256MB',
    });
    connection = await engine.acquire();
  });
  afterAll(async () => {
    engine?.release(connection, false);
    engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const full = (sql: string, role?: string) =>
    outcome(async () => {
      const planned = await planQuery(governance, 'p1', engine, connection, { sql, role });
      return { planned, result: await runBounded(connection, planned.sql, bounds) };
    });
  const shaped = (sql: string, role?: string) =>
    outcome(() => runChecked({ governance, projectId: 'p1', engine, connection }, { sql, role }, bounds));

  it('gives every literal variant the same refusal or the same rows, columns, tables and masks as the full path', async () => {
    const usedShape: string[] = [];
    for (const family of families) {
      for (const value of family.values) {
        const sql = family.sql(value);
        const expected = await full(sql, family.role);
        const got = await shaped(sql, family.role);
        expect(got.outcome, `${family.role ?? 'no role'}: ${sql}`).toEqual(expected.outcome);
        if (got.shaped) usedShape.push(`${family.role ?? '-'} ${sql}`);
      }
    }
    // The shape served every accepted variant after the first whose value fits its parameter…
    const served = (sql: string, role?: string) => usedShape.includes(`${role ?? '-'} ${sql}`);
    for (const role of ['viewer', 'admin']) {
      expect(served(`SELECT id, name FROM people WHERE name = ${quoted('Ana')}`, role)).toBe(false);
      for (const value of strings.slice(1)) {
        expect(served(`SELECT id, name FROM people WHERE name = ${quoted(value)}`, role), value).toBe(true);
      }
      expect(served('SELECT * FROM people WHERE id = 3000000000', role)).toBe(true);
      // … but not one beyond BIGINT, which DuckDB reads as a wider constant.
      expect(served('SELECT * FROM people WHERE id = 99999999999999999999', role)).toBe(false);
    }
    expect(served("SELECT name FROM people WHERE email = 'x'", 'viewer')).toBe(true);
    expect(served('SELECT id FROM people WHERE score > 4 ORDER BY id')).toBe(true);
    expect(served('SELECT id FROM people WHERE score > 9007199254740993 ORDER BY id')).toBe(false);
    expect(served("SELECT id FROM people WHERE name COLLATE nocase = 'IT''S' ORDER BY id")).toBe(true);
    expect(usedShape.filter((sql) => sql.includes('JOIN people b'))).toHaveLength(2);
    // … and never a refused query or a constant of another kind than its column.
    expect(usedShape.filter((sql) => /orders|read_csv|DROP TABLE people$|name = 2|id = '/.test(sql))).toEqual(
      [],
    );
  });

  it('binds each query its own values with the masks of its role', async () => {
    const viewer = await shaped("SELECT email FROM people WHERE name = 'Ana'", 'viewer');
    const again = await shaped("SELECT email FROM people WHERE name = '$$x$$'", 'viewer');
    const admin = await shaped("SELECT email FROM people WHERE name = '$$x$$'", 'admin');
    expect(again.shaped).toBe(true);
    expect((viewer.outcome as { rows: string[][] }).rows[0]?.[0]).toMatch(/^[0-9a-f]{16}$/);
    expect((again.outcome as { rows: string[][] }).rows[0]?.[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(again.outcome).not.toEqual(viewer.outcome);
    expect((admin.outcome as { rows: unknown }).rows).toEqual([['y@example.com']]);
    expect(
      engine.shapes.get(
        `${(await governance.planFor('p1', 'viewer')).key}\u0000string\u0000SELECT email FROM people WHERE name = $1`,
      ),
    ).toMatchObject({ masked: ['people'], types: ['VARCHAR'] });
  });
});

describe('shapes and projects', () => {
  it('keeps a query on another project’s table refused after its shape served the owner', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-shape-'));
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(
      `INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one'), ('p2', 'o1', 'two')`,
    );
    const service = new DataService({ db, audit: { record: () => {} }, dataDir: dir });
    try {
      await service.add('p1', {
        name: 'people',
        data: new TextEncoder().encode(people),
        fileName: 'people.csv',
      });
      for (const id of [1, 2, 3]) {
        const answer = await service.query('p1', {
          sql: `SELECT name FROM people WHERE id = ${id}`,
          role: 'admin',
        });
        expect(answer.rows).toHaveLength(1);
      }
      await expect(
        service.query('p2', { sql: 'SELECT name FROM people WHERE id = 4', role: 'admin' }),
      ).rejects.toMatchObject({
        code: 'not_found',
        issues: [{ code: 'unknown_table' }],
      });
    } finally {
      service.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
