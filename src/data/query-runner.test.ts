import { type DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openInstance } from './engine.js';
import { runBounded } from './query-runner.js';

let connection: DuckDBConnection;
beforeAll(async () => {
  const instance = await openInstance({ memoryLimit: '256MB' });
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE points AS SELECT i AS id, 'p' || i AS name, i % 3 AS bucket FROM range(5000) t(i)`,
  );
});
afterAll(() => {
  connection?.closeSync();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const bounds = { maxRows: 3, timeoutMs: 10_000 };

/** How the query was read: materialised under its bound (one trip), or streamed chunk by chunk. */
function readings() {
  const materialised = vi.spyOn(DuckDBPreparedStatement.prototype, 'run');
  const streamed = vi.spyOn(DuckDBPreparedStatement.prototype, 'streamAndReadUntil');
  return () => ({ materialised: materialised.mock.calls.length, streamed: streamed.mock.calls.length });
}

describe('runBounded', () => {
  it('stops one row past the limit and keeps the order the query asks for', async () => {
    const read = readings();
    const result = await runBounded(
      connection,
      'SELECT id, bucket FROM points ORDER BY bucket DESC, id DESC',
      bounds,
    );
    expect(result.truncated).toBe(true);
    expect(result.rows).toEqual([
      [4997, 2],
      [4994, 2],
      [4991, 2],
    ]);
    expect(result.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'bucket', type: 'BIGINT' },
    ]);
    const all = await runBounded(connection, 'SELECT id FROM points WHERE id < 3 ORDER BY id', bounds);
    expect(all).toMatchObject({ truncated: false, rows: [[0], [1], [2]] });
    expect(read()).toEqual({ materialised: 2, streamed: 0 });
  });

  it('answers a query that ends in a line comment or a semicolon, and binds params', async () => {
    for (const sql of [
      'SELECT name FROM points WHERE id = $1 -- the point',
      'SELECT name FROM points WHERE id = $1;',
      'SELECT name FROM points WHERE id = $1 /* the point */ ;  ',
    ]) {
      for (const id of [7, 4321]) {
        const result = await runBounded(connection, sql, { ...bounds, params: [id] });
        expect(result, sql).toMatchObject({ rows: [[`p${id}`]], truncated: false });
      }
    }
  });

  it('keeps repeated and look-alike column names as the query gives them (streamed)', async () => {
    const read = readings();
    for (const [sql, names, row] of [
      ['SELECT id AS x, bucket AS x FROM points WHERE id = 4', ['x', 'x'], [4, 1]],
      ['SELECT id AS x_1, bucket AS X FROM points WHERE id = 5', ['x_1', 'X'], [5, 2]],
    ] as const) {
      const result = await runBounded(connection, sql, bounds);
      expect(result.columns.map((column) => column.name)).toEqual(names);
      expect(result.rows).toEqual([row]);
    }
    expect(read()).toEqual({ materialised: 0, streamed: 2 });
  });

  it('stops a query at its time limit', async () => {
    await expect(
      runBounded(connection, 'SELECT count(*) FROM range(100000000000) a, range(10) b', {
        maxRows: 10,
        timeoutMs: 200,
      }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });
});
