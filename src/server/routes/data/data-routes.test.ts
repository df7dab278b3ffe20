import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

const sales = 'id,region,amount\n1,north,10\n2,south,\n3,north,5\n';

describe('/api/v1/data', () => {
  let keel: TestKeel;

  beforeAll(async () => {
    keel = await createTestKeel();
  });
  afterAll(async () => {
    await keel.close();
  });

  it('uploads a CSV as a table, lists it, and shows its catalog', async () => {
    const form = new FormData();
    form.set('file', new File([sales], 'sales.csv', { type: 'text/csv' }));
    form.set('description', 'Sales by region');
    const added = await keel.call('/api/v1/data/sources', { method: 'POST', body: form });
    expect(added.status).toBe(201);
    const source = (await added.json()) as { name: string; format: string };
    expect(source).toMatchObject({ name: 'sales', format: 'csv' });
    const dir = await stat(`${keel.dataDir}/data`);
    expect(dir.mode & 0o077).toBe(0);

    const list = (await (await keel.call('/api/v1/data/sources')).json()) as { sources: unknown[] };
    expect(list.sources).toHaveLength(1);

    const described = await keel.call('/api/v1/data/tables/sales', {
      method: 'PATCH',
      json: { columns: { amount: 'Net amount in EUR' } },
    });
    expect(described.status).toBe(200);
    const table = (await (await keel.call('/api/v1/data/tables/sales')).json()) as {
      row_count: number;
      description: string;
      columns: Array<{ name: string; null_rate: number; description: string }>;
    };
    expect(table.row_count).toBe(3);
    expect(table.description).toBe('Sales by region');
    expect(table.columns.find((column) => column.name === 'amount')).toMatchObject({
      description: 'Net amount in EUR',
    });
  });

  it('runs a read-only query as JSON and as CSV', async () => {
    const sql = 'SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region';
    const response = await keel.call('/api/v1/data/query', { json: { sql } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rows: unknown[][]; tables: string[]; truncated: boolean };
    expect(body.rows).toEqual([
      ['north', 15],
      ['south', null],
    ]);
    expect(body.tables).toEqual(['sales']);
    const csv = await keel.call('/api/v1/data/query', { json: { sql, format: 'csv' } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe('region,total\r\nnorth,15\r\nsouth,\r\n');
  });

  it('answers a refused statement with a coded 4xx and issues', async () => {
    const response = await keel.call('/api/v1/data/query', { json: { sql: "COPY sales TO 'out.csv'" } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: unknown[] } };
    expect(body.error.code).toBe('data_query_refused');
    expect(body.error.issues.length).toBeGreaterThan(0);
    const unknown = await keel.call('/api/v1/data/query', { json: { sql: 'SELECT * FROM elsewhere' } });
    expect(unknown.status).toBe(404);
  });

  it('refuses local paths when the configuration allows none', async () => {
    const response = await keel.call('/api/v1/data/sources', { json: { name: 'x', path: '/etc/hosts' } });
    expect(response.status).toBe(403);
  });
});
