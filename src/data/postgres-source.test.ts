/**
 * PostgreSQL tables as data sources, against the CI PostgreSQL (KEEL_TEST_DATABASE_URL; skipped
 * without it): a table read through `pg` into a snapshot with its types, joined with an uploaded
 * CSV; the connection URL kept sealed; a refresh reads new rows; a replica without the snapshot
 * reads the table itself; and bad tables, credentials and addresses get coded errors that never
 * show the password.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../testing/database.js';
import { codeOf } from '../testing/outcomes.js';
import { DataService } from './data-service.js';

const codeOfWithMessage = (promise: Promise<unknown>) => codeOf(promise, { message: true });

describe.runIf(testPostgresUrl)('PostgreSQL tables as sources', () => {
  let dir: string;
  let url: string;
  let drop: () => Promise<void>;
  let source: pg.Client;
  let metadata: Awaited<ReturnType<typeof createTestDatabase>>;
  const services: DataService[] = [];
  const secretKey = Buffer.alloc(32, 7);
  const service = (name: string, allowPrivateNetwork = true) => {
    const made = new DataService({
      db: metadata,
      audit: { record: () => {} },
      dataDir: path.join(dir, name),
      secretKey,
      allowPrivateNetwork,
    });
    services.push(made);
    return made;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-pg-'));
    const database = await createTestPostgresDatabase();
    ({ url, drop } = database);
    await database.db.close();
    source = new pg.Client({ connectionString: url });
    await source.connect();
    await source.query(`CREATE SCHEMA crm;
      CREATE TABLE crm.customers (id int8, name text, signed date, score numeric, active bool,
        seen timestamptz, meta jsonb, ref uuid);
      INSERT INTO crm.customers VALUES
        (1, '김민수', '2025-03-01', 9.5, true, '2025-03-01 09:00:00+09', '{"tier": "gold"}', '00000000-0000-0000-0000-000000000001'),
        (2, 'Ana Lee', NULL, NULL, false, NULL, NULL, NULL);`);
    metadata = await createTestDatabase();
    await metadata.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await metadata.query(`INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one')`);
  });
  afterAll(async () => {
    for (const made of services) made.close();
    await source?.end();
    await drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a table with its types and joins it with an uploaded file', async () => {
    const a = service('a');
    const added = await a.add('p1', { name: 'customers', url, table: 'crm.customers' });
    expect(added).toMatchObject({ format: 'postgres', origin: 'remote', source_table: 'crm.customers' });
    const stored = await metadata.query<{ connection: string; path: string }>(
      "SELECT connection::text AS connection, path FROM data_sources WHERE name = 'customers'",
    );
    expect(stored.rows[0]!.connection).not.toContain(new URL(url).password);
    expect(stored.rows[0]!.connection).not.toContain(new URL(url).host);
    expect(path.isAbsolute(stored.rows[0]!.path)).toBe(false);

    const types = (await a.catalog('p1', 'customers')).columns.map((c) => [c.name, c.type]);
    expect(types).toEqual([
      ['id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['signed', 'DATE'],
      ['score', 'DOUBLE'],
      ['active', 'BOOLEAN'],
      ['seen', 'TIMESTAMP WITH TIME ZONE'],
      ['meta', 'VARCHAR'],
      ['ref', 'UUID'],
    ]);
    await a.add('p1', {
      name: 'orders',
      data: new TextEncoder().encode('customer,total\n1,30\n1,12\n2,5\n'),
      fileName: 'orders.csv',
    });
    const joined = await a.query('p1', {
      sql: `SELECT c.name, sum(o.total)::INTEGER AS spent, any_value(c.active) AS active,
              any_value(c.meta::JSON->>'tier') AS tier, any_value(epoch(c.seen))::INTEGER AS seen
            FROM orders o JOIN customers c ON c.id = o.customer GROUP BY c.name ORDER BY spent DESC`,
    });
    expect(joined.rows).toEqual([
      ['김민수', 42, true, 'gold', 1740787200],
      ['Ana Lee', 5, false, null, null],
    ]);
  });

  it('refreshes from the table, and a replica without the snapshot reads the table itself', async () => {
    const a = service('a');
    expect(await codeOfWithMessage(a.refresh('p1', 'orders'))).toMatch(/^invalid_request:not_refreshable:/);
    await source.query("INSERT INTO crm.customers (id, name) VALUES (3, 'Bo')");
    const before = (await a.source('p1', 'customers')).path;
    const refreshed = await a.refresh('p1', 'customers');
    expect(refreshed.path).not.toBe(before);
    expect((await a.query('p1', { sql: 'SELECT count(*)::INTEGER FROM customers' })).rows).toEqual([[3]]);
    // The earlier snapshot is gone.
    expect((await readdir(path.dirname(refreshed.path))).filter((f) => f.endsWith('.parquet'))).toEqual([
      path.basename(refreshed.path),
    ]);

    // Another replica, with no copy of the uploaded CSV (no shared store here): the CSV goes first.
    await a.remove('p1', 'orders');
    const b = service('b');
    expect((await b.query('p1', { sql: 'SELECT name FROM customers WHERE id = 3' })).rows).toEqual([['Bo']]);
  });

  it('refuses bad tables, credentials and private addresses with coded errors', async () => {
    const a = service('a3');
    const wrong = new URL(url);
    wrong.password = 'not-the-password-123';
    const cases: Array<[Parameters<DataService['add']>[1], RegExp]> = [
      [{ name: 'x', url, table: 'crm.nope' }, /^invalid_request:unknown_table:/],
      [{ name: 'x', url }, /^invalid_request:table_required:/],
      [{ name: 'x', url, table: 'crm.customers; DROP TABLE x' }, /^invalid_request:invalid_table:/],
      [{ name: 'x', url: wrong.href, table: 'crm.customers' }, /^forbidden:database_refused:/],
    ];
    for (const [input, expected] of cases) {
      const code = await codeOfWithMessage(a.add('p1', input));
      expect(code).toMatch(expected);
      expect(code).not.toContain('not-the-password-123');
    }
    expect(
      await codeOfWithMessage(service('closed', false).add('p1', { name: 'x', url, table: 'crm.customers' })),
    ).toMatch(/^(forbidden|invalid_request):/);
    expect((await a.sources('p1')).map((s) => s.name)).toEqual(['customers']);
    expect(
      (await readdir(path.join(dir, 'a3', 'data', 'p1')).catch(() => [])).filter((f) => f.includes('.part')),
    ).toEqual([]);
  });
});
