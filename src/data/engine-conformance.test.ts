/**
 * One conformance suite, two engines: the same DataService answers a project on the embedded
 * DuckDB (a CSV source) and a project on Trino (the configuration maps it to a schema; a local
 * server speaks Trino's client protocol with recorded responses). Same SQL in, same rows, params,
 * exports, pages, limits, refusals, masks, timeouts, cancellations and coded errors out.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/database.js';
import { codeOf } from '../testing/outcomes.js';
import { DataService } from './data-service.js';
import { type FakeTrino, startFakeTrino, type TrinoRecording } from './trino/fake-trino-server.js';

const csv = 'id,region,amount\n1,north,10.5\n2,south,\n3,north,4.5\n4,east,7\n';
const rows = [
  [1, 'north', 10.5],
  [2, 'south', null],
  [3, 'north', 4.5],
  [4, 'east', 7],
];
const T = 'hive.sales.orders';
const varchar = (name: string) => ({ name, type: 'varchar' });
/** Billions of rows to count, in constant memory (the recording on Trino answers "running" forever). */
const endless = 'SELECT count(*) AS n FROM orders, range(3000000000) AS r(i)';

/** What a Trino coordinator answered to each statement Keel sends for the project's schema. */
const recorded: Record<string, TrinoRecording> = {
  'SELECT table_name, column_name, data_type FROM "hive".information_schema.columns WHERE table_schema = \'sales\' ORDER BY table_name, ordinal_position':
    {
      columns: [varchar('table_name'), varchar('column_name'), varchar('data_type')],
      rows: [
        ['orders', 'id', 'bigint'],
        ['orders', 'region', 'varchar'],
        ['orders', 'amount', 'double'],
      ],
      pageRows: 10,
    },
  [`SELECT id, region, amount FROM ${T} ORDER BY id`]: {
    columns: [{ name: 'id', type: 'bigint' }, varchar('region'), { name: 'amount', type: 'double' }],
    rows,
  },
  [`SELECT region, sum(amount) AS total FROM ${T} GROUP BY region ORDER BY region`]: {
    columns: [varchar('region'), { name: 'total', type: 'double' }],
    rows: [
      ['east', 7],
      ['north', 15],
      ['south', null],
    ],
  },
  [`WITH o AS (SELECT * FROM ${T})SELECT count(*) AS n FROM o`]: {
    columns: [{ name: 'n', type: 'bigint' }],
    rows: [[4]],
  },
  [`SELECT id, region FROM (SELECT id, CASE WHEN ((region IS NULL)) THEN (NULL) ELSE '[REDACTED]' END AS region, amount FROM ${T}) AS orders ORDER BY id`]:
    {
      columns: [{ name: 'id', type: 'bigint' }, varchar('region')],
      rows: rows.map((row) => [row[0], '[REDACTED]']),
    },
  // Params bound on Keel's side through the parsed tree: the values arrive as quoted literals.
  [`SELECT id, region, amount FROM ${T} WHERE ((region = 'north') AND (id > 1) AND (amount < 100.5)) ORDER BY id`]:
    {
      columns: [{ name: 'id', type: 'bigint' }, varchar('region'), { name: 'amount', type: 'double' }],
      rows: [[3, 'north', 4.5]],
    },
  [`SELECT id FROM ${T} WHERE (region = 'north'' OR ''1''=''1')`]: {
    columns: [{ name: 'id', type: 'bigint' }],
    rows: [],
  },
  [`SELECT CAST(region AS INTEGER) AS r FROM ${T}`]: {
    error: {
      message: "Cannot cast 'north' to INT",
      errorCode: 36,
      errorName: 'INVALID_CAST_ARGUMENT',
      errorType: 'USER_ERROR',
    },
  },
  [`SELECT count(*) AS n FROM ${T} , "range"(3000000000) AS r(i)`]: { endless: true },
  'SELECT count(*), count("id"), count("region"), count("amount") FROM "hive"."sales"."orders"': {
    columns: [{ name: '_col0', type: 'bigint' }],
    rows: [[4, 4, 4, 3]],
  },
  'SELECT DISTINCT "id" FROM "hive"."sales"."orders" WHERE "id" IS NOT NULL LIMIT 5': {
    rows: [[4], [2], [1], [3]],
  },
  'SELECT DISTINCT "region" FROM "hive"."sales"."orders" WHERE "region" IS NOT NULL LIMIT 5': {
    rows: [['south'], ['north'], ['east']],
  },
  'SELECT DISTINCT "amount" FROM "hive"."sales"."orders" WHERE "amount" IS NOT NULL LIMIT 5': {
    rows: [[7], [10.5], [4.5]],
  },
};

/** As an editor, whom the mask does not name (no role at all gets every mask). */
const query = (project: string, request: Parameters<DataService['query']>[1]) =>
  service.query(project, { role: 'editor', ...request });

let dir: string;
let fake: FakeTrino;
let service: DataService;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keel-engines-'));
  fake = await startFakeTrino(recorded);
  const db = await createTestDatabase();
  await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
  await db.query(
    `INSERT INTO projects (id, organization_id, name) VALUES ('duck', 'o1', 'duck'), ('trino', 'o1', 'trino')`,
  );
  service = new DataService({
    db,
    audit: { record: () => {} },
    dataDir: dir,
    timeoutMs: 5_000,
    trino: { server: fake.url, user: 'keel', catalog: 'hive', projects: { trino: 'sales' } },
  });
  await service.add('duck', { name: 'orders', data: new TextEncoder().encode(csv), fileName: 'orders.csv' });
  for (const project of ['duck', 'trino']) {
    await service.governance.setTags(project, 'orders', 'region', ['sensitive']);
    await service.governance.addPolicy(project, { tag: 'sensitive', method: 'redact', roles: ['viewer'] });
  }
});
afterAll(async () => {
  service.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(['duck', 'trino'])('engine conformance: %s', (project) => {
  it('answers the same rows, following nextUri pages on Trino', async () => {
    const all = await query(project, { sql: 'SELECT id, region, amount FROM orders ORDER BY id' });
    expect(all.rows).toEqual(rows);
    expect(all.columns.map((column) => column.name)).toEqual(['id', 'region', 'amount']);
    expect(all).toMatchObject({ truncated: false, tables: ['orders'], masked: [] });
    const grouped = await query(project, {
      sql: 'SELECT region, sum(amount) AS total FROM orders GROUP BY region ORDER BY region',
    });
    expect(grouped.rows).toEqual([
      ['east', 7],
      ['north', 15],
      ['south', null],
    ]);
    const counted = await query(project, {
      sql: 'WITH o AS (SELECT * FROM orders) SELECT count(*) AS n FROM o',
    });
    expect(counted.rows).toEqual([[4]]);
  });

  it('binds params as values, never as SQL', async () => {
    const point = await query(project, {
      sql: 'SELECT id, region, amount FROM orders WHERE region = $1 AND id > $2 AND amount < $3 ORDER BY id',
      params: ['north', 1, 100.5],
    });
    expect(point.rows).toEqual([[3, 'north', 4.5]]);
    const injected = await query(project, {
      sql: 'SELECT id FROM orders WHERE region = $1',
      params: ["north' OR '1'='1"],
    });
    expect(injected.rows).toEqual([]);
  });

  it('checks without running: the tables read and those read masked', async () => {
    const sent = fake.statements.length;
    expect(await service.check(project, { sql: 'SELECT region FROM orders', role: 'viewer' })).toMatchObject({
      tables: ['orders'],
      masked: ['orders'],
    });
    expect(await codeOf(service.check(project, { sql: 'DELETE FROM orders' }))).toBe(
      'data_query_refused:not_select',
    );
    expect(fake.statements.length).toBe(sent);
  });

  it('stops one row past the row limit and says the result was cut', async () => {
    const cut = await query(project, {
      sql: 'SELECT id, region, amount FROM orders ORDER BY id',
      maxRows: 2,
    });
    expect(cut.rows).toEqual(rows.slice(0, 2));
    expect(cut.truncated).toBe(true);
  });

  it('masks for the role through the parsed tree', async () => {
    const masked = await query(project, {
      sql: 'SELECT id, region FROM orders ORDER BY id',
      role: 'viewer',
    });
    expect(masked.rows.map((row) => row[1])).toEqual([
      '[REDACTED]',
      '[REDACTED]',
      '[REDACTED]',
      '[REDACTED]',
    ]);
    expect(masked.masked).toEqual(['orders']);
  });

  it('refuses anything but one SELECT over the project tables, before any engine runs it', async () => {
    const sent = fake.statements.length;
    for (const [sql, code] of [
      ['DROP TABLE orders', 'data_query_refused:not_select'],
      ['SELECT 1; SELECT 2', 'data_query_refused:statement_count'],
      ["SELECT * FROM read_csv('/etc/passwd')", 'data_query_refused:table_function'],
      ['SELECT * FROM hive.other.secrets', 'data_query_refused:unknown_table'],
      ['SELECT * FROM customers', 'not_found:unknown_table'],
      ['SELEC id FROM orders', 'data_query_refused:syntax_error'],
    ] as const) {
      expect(await codeOf(query(project, { sql })), sql).toBe(code);
    }
    expect(fake.statements.length).toBe(sent);
  });

  it('exports the same files and pages, masked, capped and timed like a query', async () => {
    const sql = 'SELECT id, region, amount FROM orders ORDER BY id';
    const text = async (exported: { body: ReadableStream<Uint8Array> }) => new Response(exported.body).text();
    const csv = await service.export(project, { sql, format: 'csv', role: 'editor' });
    expect(csv).toMatchObject({ rows: 4, truncated: false, tables: ['orders'] });
    expect(await text(csv)).toBe('id,region,amount\n1,north,10.5\n2,south,\n3,north,4.5\n4,east,7.0\n');
    const masked = await service.export(project, {
      sql: 'SELECT id, region FROM orders ORDER BY id',
      format: 'ndjson',
      role: 'viewer',
    });
    expect(masked.masked).toEqual(['orders']);
    expect(
      (await text(masked))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(rows.map((row) => ({ id: row[0], region: '[REDACTED]' })));
    const cut = await service.export(project, { sql, format: 'ndjson', role: 'editor', maxRows: 2 });
    expect(cut).toMatchObject({ rows: 2, truncated: true });
    expect((await text(cut)).trim().split('\n')).toHaveLength(2);
    const arrow = await service.export(project, { sql, format: 'arrow', role: 'editor' });
    expect(arrow).toMatchObject({ rows: 4, contentType: 'application/vnd.apache.arrow.stream' });
    expect((await new Response(arrow.body).arrayBuffer()).byteLength).toBeGreaterThan(0);

    const first = await service.queryPaged(project, { sql, pageSize: 3, role: 'editor' });
    expect(first).toMatchObject({ rows: rows.slice(0, 3), totalRows: 4, offset: 0 });
    const second = await service.page(project, first.nextPageToken!, { role: 'editor' });
    expect(second).toMatchObject({ rows: rows.slice(3), offset: 3, nextPageToken: null });
    expect(await codeOf(service.page(project, first.nextPageToken!, { role: 'viewer' }))).toBe(
      'invalid_request:invalid_page_token',
    );

    const failing = {
      sql: 'SELECT CAST(region AS INTEGER) AS r FROM orders',
      format: 'csv' as const,
      role: 'editor',
    };
    expect(await codeOf(service.export(project, failing))).toBe('unprocessable:query_failed');
    expect(
      await codeOf(service.export(project, { sql: endless, format: 'csv', role: 'editor', timeoutMs: 300 })),
    ).toBe('timeout:query_timeout');
  });

  it("reports the engine's own error as a coded query_failed", async () => {
    expect(await codeOf(query(project, { sql: 'SELECT CAST(region AS INTEGER) AS r FROM orders' }))).toBe(
      'unprocessable:query_failed',
    );
  });

  it('stops a query that never ends at the time limit, and on cancellation', async () => {
    const before = fake.cancelled.size;
    expect(await codeOf(query(project, { sql: endless, timeoutMs: 300 }))).toBe('timeout:query_timeout');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    expect(await codeOf(query(project, { sql: endless, signal: controller.signal }))).toBe(
      'client_closed:query_cancelled',
    );
    if (project === 'trino') {
      // Both were cancelled on the coordinator, not just abandoned.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fake.cancelled.size).toBe(before + 2);
    }
  });
});

describe('Trino specifics', () => {
  it('cancels a query on the coordinator once the row limit is passed, and names its user', async () => {
    const before = fake.cancelled.size;
    await query('trino', { sql: 'SELECT id, region, amount FROM orders ORDER BY id', maxRows: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.cancelled.size).toBe(before + 1);
    expect(fake.requests.every((request) => request.user === 'keel')).toBe(true);
    // The client followed each nextUri as a coordinator hands them out: queued from token 1, then
    // executing from token 0, each with a new slug (the shapes of captured coordinator answers).
    const whole = await query('trino', { sql: 'SELECT id, region, amount FROM orders ORDER BY id' });
    expect(whole.rows).toHaveLength(4);
    const followed = fake.requests
      .filter((request) => request.method === 'GET')
      .map((request) => request.path);
    expect(followed.some((path) => /^\/v1\/statement\/queued\/\w+\/y[0-9a-f]{40}\/1$/.test(path))).toBe(true);
    expect(followed.some((path) => /^\/v1\/statement\/executing\/\w+\/y[0-9a-f]{40}\/0$/.test(path))).toBe(
      true,
    );
  });

  it('gives the same catalog model: row count, null rates and samples', async () => {
    const duck = await service.catalog('duck', 'orders', 'editor');
    const trino = await service.catalog('trino', 'orders', 'editor');
    expect(trino.rowCount).toBe(duck.rowCount);
    const shape = (table: typeof duck) =>
      table.columns.map((column) => ({
        name: column.name,
        nullRate: column.nullRate,
        samples: [...column.samples].map(String).sort(),
      }));
    expect(shape(trino)).toEqual(shape(duck));
    // The caller's masks and the column tags apply to Trino's tables as to DuckDB's.
    const [viewer] = await service.catalogs('trino', 'viewer');
    expect(viewer?.columns.find((column) => column.name === 'region')).toMatchObject({
      masked: 'redact',
      samples: [],
      tags: ['sensitive'],
    });
    expect(await codeOf(service.catalog('trino', 'customers'))).toBe('not_found:unknown_table');
  });

  it("spools an export's rows as Trino's pages arrive, and cancels the query past the cap", async () => {
    const before = fake.cancelled.size;
    const cut = await service.export('trino', {
      sql: 'SELECT id, region, amount FROM orders ORDER BY id',
      format: 'csv',
      role: 'editor',
      maxRows: 2,
    });
    expect(cut).toMatchObject({ rows: 2, truncated: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.cancelled.size).toBe(before + 1);
    // Nothing of the spooled Trino rows is left behind.
    const left = await readdir(path.join(dir, 'data-spool', 'trino'));
    expect(left.filter((name) => name.endsWith('.ndjson'))).toEqual([]);
  });

  it('refuses params that do not match the parameters of the SQL', async () => {
    const sql = 'SELECT id FROM orders WHERE region = $1 AND id > $2';
    expect(await codeOf(query('trino', { sql, params: ['north'] }))).toBe('invalid_request:param_count');
    expect(await codeOf(query('trino', { sql, params: ['north', 1, 2] }))).toBe(
      'invalid_request:param_count',
    );
    expect(
      await codeOf(query('trino', { sql: 'SELECT id FROM orders WHERE region = $name', params: ['x'] })),
    ).toBe('invalid_request:param_count');
  });

  it('answers upstream_unavailable when the coordinator cannot be reached', async () => {
    const down = new DataService({
      db: await createTestDatabase(),
      audit: { record: () => {} },
      dataDir: dir,
      trino: { server: 'http://127.0.0.1:9', user: 'keel', catalog: 'hive', projects: { p: 'sales' } },
    });
    expect(await codeOf(down.query('p', { sql: 'SELECT 1' }))).toBe('upstream_unavailable:trino_unavailable');
    down.close();
  });
});
