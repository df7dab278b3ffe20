import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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

  it('releases kept statements when DuckDB runs out of memory (each one over a CSV holds ~32 MB)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-prepared-'));
    const file = path.join(dir, 'points.csv');
    await writeFile(file, 'id,name\n1,a\n2,b\n');
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE VIEW points AS SELECT * FROM read_csv('${file}', header = true)`);
      const bounds = { maxRows: 10, timeoutMs: 10_000 };
      // Eight such statements kept prepared would exceed 256 MB; each query still runs.
      const rows = [];
      for (let id = 0; id < 12; id++) {
        rows.push((await runBounded(connection, `SELECT name FROM points WHERE id = ${id}`, bounds)).rows);
      }
      expect(rows.slice(0, 3)).toEqual([[], [['a']], [['b']]]);
    } finally {
      connection.closeSync();
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
