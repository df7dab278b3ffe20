import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/database.js';
import { codeOf } from '../testing/outcomes.js';
import { DataService } from './data-service.js';
import { PAGE_TTL_MS, type PageCursor, PageTokens, sweepPages } from './query-pages.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('paged results and Arrow exports', () => {
  let dir: string;
  let service: DataService;
  const rows = 5_000;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-pages-'));
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(
      `INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one'), ('p2', 'o1', 'two')`,
    );
    service = new DataService({ db, audit: { record: () => {} }, dataDir: dir, timeoutMs: 5_000 });
    const lines = ['id,email,amount,day'];
    for (let i = 1; i <= rows; i++)
      lines.push(`${i},user${i}@example.com,${(i * 1.5).toFixed(2)},2024-01-${1 + (i % 28)}`);
    await service.add('p1', {
      name: 'orders',
      data: encode(`${lines.join('\n')}\n`),
      fileName: 'orders.csv',
    });
    await service.add('p2', { name: 'other', data: encode('id\n1\n'), fileName: 'other.csv' });
    await service.governance.setTags('p1', 'orders', 'email', ['pii']);
    await service.governance.addPolicy('p1', { tag: 'pii', method: 'redact', roles: ['viewer'] });
  });
  afterAll(async () => {
    service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pages through a result with tokens: every row once, in order, masked for the role', async () => {
    const sql = 'SELECT id, email FROM orders ORDER BY id';
    const first = await service.queryPaged('p1', { sql, pageSize: 2_000, role: 'viewer' });
    expect(first).toMatchObject({ totalRows: rows, offset: 0, truncated: false, masked: ['orders'] });
    expect(first.rows).toHaveLength(2_000);
    const seen = [...first.rows];
    let token = first.nextPageToken;
    let pages = 1;
    while (token) {
      const page = await service.page('p1', token, { role: 'viewer' });
      expect(page.offset).toBe(pages * 2_000);
      seen.push(...page.rows);
      token = page.nextPageToken;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.map((row) => row[0])).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    // The spool holds the masked values: no page reveals an address.
    expect(seen.every((row) => !String(row[1]).includes('@'))).toBe(true);
  });

  it('caps the whole result at max_rows and says it was cut', async () => {
    const page = await service.queryPaged('p1', {
      sql: 'SELECT id FROM orders',
      pageSize: 100,
      maxRows: 250,
    });
    expect(page).toMatchObject({ totalRows: 250, truncated: true });
    const last = await service.page('p1', (await service.page('p1', page.nextPageToken!)).nextPageToken!);
    expect(last.rows).toHaveLength(50);
    expect(last.nextPageToken).toBeNull();
  });

  it('refuses a token from another project or role, a changed one and an expired one', async () => {
    const first = await service.queryPaged('p1', {
      sql: 'SELECT id FROM orders',
      pageSize: 10,
      role: 'viewer',
    });
    const token = first.nextPageToken!;
    expect(await codeOf(service.page('p2', token, { role: 'viewer' }))).toBe(
      'invalid_request:invalid_page_token',
    );
    // An admin's token would show unmasked values; a viewer's is not an admin's either way round.
    expect(await codeOf(service.page('p1', token, { role: 'admin' }))).toBe(
      'invalid_request:invalid_page_token',
    );
    expect(await codeOf(service.page('p1', token))).toBe('invalid_request:invalid_page_token');
    const [body, mac] = token.split('.');
    const cursor = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...cursor, o: 0, n: 10_000 })).toString('base64url');
    expect(await codeOf(service.page('p1', `${forged}.${mac}`, { role: 'viewer' }))).toBe(
      'invalid_request:invalid_page_token',
    );
    expect(await codeOf(service.page('p1', 'not-a-token', { role: 'viewer' }))).toBe(
      'invalid_request:invalid_page_token',
    );
    const tokens = new PageTokens(Buffer.from('k'));
    const old = tokens.issue({ ...(cursor as unknown as PageCursor), e: Date.now() - 1 });
    expect(await codeOf(Promise.resolve().then(() => tokens.open(old, 'p1', 'viewer')))).toBe(
      'not_found:page_token_expired',
    );
  });

  it('sweeps spooled results past their expiry, and a token to a swept one says it expired', async () => {
    const first = await service.queryPaged('p1', { sql: 'SELECT id FROM orders', pageSize: 10 });
    const spool = path.join(dir, 'data-spool', 'p1');
    const stray = path.join(spool, 'keep-me.parquet');
    await writeFile(stray, 'x');
    const past = new Date(Date.now() - PAGE_TTL_MS - 60_000);
    for (const name of await readdir(spool)) await utimes(path.join(spool, name), past, past);
    expect(await sweepPages(spool)).toBeGreaterThan(0);
    expect(await readdir(spool)).toEqual(['keep-me.parquet']);
    expect(await codeOf(service.page('p1', first.nextPageToken!))).toBe('not_found:page_token_expired');
  });

  it('refuses params and a refused query on the paged path as on the plain one', async () => {
    expect(await codeOf(service.queryPaged('p1', { sql: 'SELECT $1', params: [1], pageSize: 5 }))).toBe(
      'invalid_request:params_not_supported',
    );
    expect(await codeOf(service.queryPaged('p1', { sql: 'DROP TABLE orders', pageSize: 5 }))).toBe(
      'data_query_refused:not_select',
    );
    expect(await codeOf(service.queryPaged('p1', { sql: 'SELECT * FROM other', pageSize: 5 }))).toBe(
      'not_found:unknown_table',
    );
  });

  it('exports an Arrow IPC stream with typed columns, masked, equal to the JSON result', async () => {
    const sql =
      'SELECT id, email, amount, CAST(day AS DATE) AS day, id % 2 = 0 AS even FROM orders ORDER BY id';
    const exported = await service.export('p1', { sql, format: 'arrow', role: 'viewer' });
    expect(exported.contentType).toBe('application/vnd.apache.arrow.stream');
    const bytes = new Uint8Array(await new Response(exported.body).arrayBuffer());
    expect(bytes.length).toBe(exported.bytes);
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(rows);
    expect(exported.rows).toBe(rows);
    expect(table.schema.fields.map((field) => `${field.name}:${field.type}`)).toEqual([
      'id:Int64',
      'email:Utf8',
      'amount:Float64',
      'day:Date32<DAY>',
      'even:Bool',
    ]);
    const json = await service.query('p1', { sql, role: 'viewer', maxRows: rows });
    const arrowRows = table.toArray().map((row) => {
      const value = row.toJSON() as { id: bigint; email: string; amount: number; day: number; even: boolean };
      return [
        Number(value.id),
        value.email,
        value.amount,
        new Date(value.day).toISOString().slice(0, 10),
        value.even,
      ];
    });
    expect(arrowRows).toEqual(json.rows);
    expect(arrowRows.some((row) => String(row[1]).includes('@'))).toBe(false);
  });

  it('bounds an Arrow export by its time limit and removes the spool file', async () => {
    const slow = 'SELECT a.id, b.id FROM orders a, orders b, orders c';
    expect(await codeOf(service.export('p1', { sql: slow, format: 'arrow', timeoutMs: 200 }))).toBe(
      'timeout:query_timeout',
    );
    const left = await readdir(path.join(dir, 'data-spool', 'p1'));
    expect(left.filter((name) => name.endsWith('.arrow'))).toEqual([]);
  });
});
