/**
 * `keel data add|tables|describe|query` (paged, and exported to a file) in local mode (the CLI runs Keel in process).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIO } from '../../testing/cli-io.js';
import { runCli } from '../main.js';

let dataDir: string;
let csv: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-data-cli-'));
  csv = path.join(dataDir, 'stock.csv');
  await writeFile(csv, 'sku,qty\nA1,3\nB2,\nC3,7\n');
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function keel(...args: string[]) {
  const captured = captureIO({ KEEL_LOG_LEVEL: 'silent' });
  const code = await runCli(['--data-dir', dataDir, ...args], captured.io);
  return { code, out: captured.out(), err: captured.err() };
}

describe('keel data', () => {
  it('adds a file, lists and describes tables, and queries read-only', { timeout: 240_000 }, async () => {
    const added = await keel('data', 'add', csv, '--description', 'Stock levels');
    expect(added.code).toBe(0);
    expect(added.out).toContain('Added table stock');

    const tables = await keel('data', 'tables');
    expect(tables.out).toContain('stock');

    const described = await keel('data', 'describe', 'stock', '--set', 'qty=Units on hand');
    expect(described.code).toBe(0);
    expect(described.out).toContain('3 rows');
    expect(described.out).toContain('Units on hand');

    const query = await keel('data', 'query', 'SELECT sum(qty) AS total FROM stock', '--csv');
    expect(query.out).toBe('total\n10\n');

    const paged = await keel(
      'data',
      'query',
      'SELECT sku FROM stock ORDER BY sku',
      '--page-size',
      '2',
      '--json',
    );
    const pages = paged.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { rows: string[][] });
    expect(pages.map((page) => page.rows.flat())).toEqual([['A1', 'B2'], ['C3']]);
    expect(paged.err).toContain('3 of 3 rows');

    const arrowFile = path.join(dataDir, 'stock.arrows');
    const exported = await keel('data', 'query', 'SELECT * FROM stock ORDER BY sku', '--out', arrowFile);
    expect(exported.code).toBe(0);
    expect(exported.err).toContain('Wrote 3 rows');
    const table = tableFromIPC(await readFile(arrowFile));
    expect(table.getChild('sku')?.toArray()).toEqual(['A1', 'B2', 'C3']);

    const refused = await keel('data', 'query', 'DROP VIEW stock');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('data_query_refused');

    const unasked = await keel('data', 'ask', '재고 합계는?');
    expect(unasked.code).toBe(2);
    expect(unasked.err).toContain('--model');
  });
});
