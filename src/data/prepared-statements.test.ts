import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { preparedFor } from './prepared-statements.js';
import { runBounded } from './query-runner.js';

describe('prepared statements per connection', () => {
  it('reuses a statement with fresh bindings, never an earlier call’s values, and evicts the oldest', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    try {
      await connection.run('CREATE TABLE t AS SELECT i AS id, i * 10 AS v FROM range(100) r(i)');
      const sql = 'SELECT v FROM t WHERE id = $1';
      const bounds = { maxRows: 10, timeoutMs: 10_000 };
      const first = await runBounded(connection, sql, { ...bounds, params: [3] });
      const statement = await preparedFor(connection, sql);
      const second = await runBounded(connection, sql, { ...bounds, params: [7] });
      expect([first.rows, second.rows]).toEqual([[[30]], [[70]]]);
      expect(await preparedFor(connection, sql)).toBe(statement);
      // Sent again without its value, the query fails instead of reusing 7.
      await expect(runBounded(connection, sql, bounds)).rejects.toMatchObject({ code: 'unprocessable' });
      expect((await runBounded(connection, sql, { ...bounds, params: [9] })).rows).toEqual([[90]]);
      // 64 other statements later, the first one was destroyed and is prepared anew.
      for (let n = 0; n < 64; n++) await runBounded(connection, `SELECT ${n} AS n`, bounds);
      expect(await preparedFor(connection, sql)).not.toBe(statement);
      expect((await runBounded(connection, sql, { ...bounds, params: [1] })).rows).toEqual([[10]]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
