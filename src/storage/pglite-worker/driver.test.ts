import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGliteWorkerDatabase, type PGliteWorkerDatabase } from './driver.js';

let db: PGliteWorkerDatabase;
beforeAll(async () => {
  db = await createPGliteWorkerDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe('PGlite on a worker thread', () => {
  it('keeps the event loop free while a statement runs', async () => {
    const started = performance.now();
    const slow = db.query('SELECT pg_sleep(0.4)');
    const timerFired = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(performance.now() - started), 20),
    );
    await slow;
    expect(timerFired).toBeLessThan(200);
  });

  it('holds other statements back while a transaction is open', async () => {
    await db.exec('CREATE TABLE t_order (n int)');
    const order: string[] = [];
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_order VALUES (1)');
      order.push('tx insert');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const inside = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t_order');
      order.push(`tx sees ${inside.rows[0]!.n}`);
    });
    const outside = db
      .query<{ n: number }>('SELECT count(*)::int AS n FROM t_order')
      .then((result) => order.push(`outside sees ${result.rows[0]!.n}`));
    await Promise.all([transaction, outside]);
    expect(order).toEqual(['tx insert', 'tx sees 1', 'outside sees 1']);
  });

  it('reports SQL errors with their codes and recovers after a failed transaction', async () => {
    await db.exec('CREATE TABLE t_unique_w (v text UNIQUE)');
    await db.query("INSERT INTO t_unique_w VALUES ('a')");
    await expect(
      db.transaction((tx) => tx.query("INSERT INTO t_unique_w VALUES ('a')")),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(db.query('SELECT nonsense FROM nowhere')).rejects.toThrow(/nowhere/);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t_unique_w')).rows[0]!.n).toBe(1);
  });

  it('dumps its data directory and starts another instance from it', async () => {
    const image = await db.dumpDataDir();
    const copy = await createPGliteWorkerDatabase({ loadDataDir: image });
    try {
      expect((await copy.query<{ n: number }>('SELECT count(*)::int AS n FROM t_unique_w')).rows[0]!.n).toBe(
        1,
      );
    } finally {
      await copy.close();
    }
  });
});
