/**
 * `keel data add|tables|describe|query` (paged, and exported to a file) in local mode (the CLI runs
 * Keel in process); `keel data ask` against a server whose model writes canned SQL, its result read
 * page by page with --page-size (a bad size refused before anything is asked), and `keel data
 * describe --draft` with a model that drafts descriptions, accepted with edits.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { captureIO, runKeelCli } from '../../testing/cli-io.js';
import { createEchoProvider, createSqlWriter } from '../../testing/echo-provider.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
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

describe('keel data ask', () => {
  let keel: TestKeel;
  let server: ListeningServer;
  // Every question the model saw (a refused --page-size must not reach it).
  const asked: string[] = [];

  beforeAll(async () => {
    keel = await createTestKeel({
      providers: [
        createSqlWriter((prompt) => {
          asked.push(prompt);
          return { sql: 'SELECT sku, qty FROM stock ORDER BY sku', explanation: 'every sku' };
        }),
        // Drafts table descriptions (`data describe --draft`).
        createEchoProvider({
          name: 'writer',
          respond: () =>
            JSON.stringify({ description: '품목별 재고', columns: { sku: '품목 코드', qty: '재고 수량' } }),
        }),
      ],
    });
    server = await listen(keel.app);
    await sdkClient(keel, keel.adminKey).data.upload({
      name: 'stock.csv',
      data: 'sku,qty\nA1,3\nB2,5\nC3,7\nD4,1\nE5,2\n',
    });
  });
  afterAll(async () => {
    await server?.close();
    await keel?.close();
  });

  const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

  it('pages the answer with --page-size: each next page read and printed in turn', async () => {
    const whole = await keelCli('data', 'ask', 'Which skus are in stock?', '--model', 'sql:reverse');
    expect(whole.code).toBe(0);
    expect(whole.out).toContain('SELECT sku, qty FROM stock ORDER BY sku');
    expect(whole.out.match(/[A-E]\d/g)).toEqual(['A1', 'B2', 'C3', 'D4', 'E5']);

    const paged = await keelCli(
      'data',
      'ask',
      'Which skus are in stock?',
      '--model',
      'sql:reverse',
      '--page-size',
      '2',
    );
    expect(paged.code).toBe(0);
    // Three pages, each printed as a table of its own (a header each), every row once and in order.
    expect(paged.out.match(/^SKU/gm)).toHaveLength(3);
    expect(paged.out.match(/[A-E]\d/g)).toEqual(['A1', 'B2', 'C3', 'D4', 'E5']);
    expect(paged.out).toContain('every sku');
    expect(paged.err).toContain('5 of 5 rows');
    expect(paged.err).toContain('- run');

    // --json: the answer with its first page on a line, then each next page on a line of its own.
    const json = await keelCli(
      '--json',
      'data',
      'ask',
      'Which skus?',
      '--model',
      'sql:reverse',
      '--page-size',
      '2',
    );
    expect(json.code).toBe(0);
    const [answer, ...pages] = json.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(answer).toMatchObject({
      ok: true,
      result: {
        rows: [
          ['A1', 3],
          ['B2', 5],
        ],
        total_rows: 5,
      },
    });
    expect(pages.map((page) => page.rows)).toEqual([
      [
        ['C3', 7],
        ['D4', 1],
      ],
      [['E5', 2]],
    ]);
    expect(pages.at(-1)?.next_page_token).toBeNull();
  });

  it('drafts descriptions with --draft, shows the draft, and accepts it with edits', async () => {
    const mixed = await keelCli('data', 'describe', 'stock', '--draft', '--accept');
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('--draft');
    const drafted = await keelCli(
      'data',
      'describe',
      'stock',
      '--draft',
      '--model',
      'writer:reverse',
      '--language',
      'ko',
    );
    expect(drafted.code).toBe(0);
    expect(drafted.out).toContain('draft by writer:reverse (ko)');
    expect(drafted.out).toContain('재고 수량');
    const accepted = await keelCli('data', 'describe', 'stock', '--accept', '--set', 'qty=Units on hand');
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('품목별 재고');
    expect(accepted.out).toContain('Units on hand');
    expect(accepted.out).not.toContain('draft by');
    const none = await keelCli('data', 'describe', 'stock', '--discard');
    expect(none.code).toBe(4);
    expect(none.err).toContain('no drafted descriptions');
  });

  it('refuses a --page-size that is not a whole number from 1 to 10,000, before asking', async () => {
    const before = asked.length;
    for (const size of ['0', '10001', '2.5', 'many']) {
      const refused = await keelCli(
        'data',
        'ask',
        'Which skus?',
        '--model',
        'sql:reverse',
        '--page-size',
        size,
      );
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('--page-size');
      expect(refused.out).toBe('');
    }
    const zero = await keelCli('data', 'ask', 'Which skus?', '--model', 'sql:reverse', '--page-size', '0');
    expect(zero.err).toContain('from 1 to 10000');
    expect(asked.length).toBe(before);
  });
});
