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
    expect(csv.headers.get('x-keel-row-count')).toBe('2');
    expect(await csv.text()).toBe('region,total\nnorth,15\nsouth,\n');
  });

  it('streams exports as NDJSON and Parquet', async () => {
    const sql = 'SELECT region, amount FROM sales ORDER BY id';
    const ndjson = await keel.call('/api/v1/data/query', { json: { sql, format: 'ndjson' } });
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await ndjson.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ region: 'north', amount: 10 });
    const parquet = await keel.call('/api/v1/data/query', { json: { sql, format: 'parquet' } });
    expect(parquet.status).toBe(200);
    const bytes = new Uint8Array(await parquet.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('PAR1');
    expect(parquet.headers.get('x-keel-row-count')).toBe('3');
  });

  it('tags columns, suggests PII tags, and masks by role in queries and exports', async () => {
    const form = new FormData();
    form.set(
      'file',
      new File(['id,email\n1,ana@example.com\n2,bo@example.org\n'], 'contacts.csv', { type: 'text/csv' }),
    );
    expect((await keel.call('/api/v1/data/sources', { method: 'POST', body: form })).status).toBe(201);
    const suggested = (await (await keel.call('/api/v1/data/tables/contacts/tag-suggestions')).json()) as {
      suggestions: Array<{ column: string; tag: string; entity_types: string[] }>;
    };
    expect(suggested.suggestions.map((entry) => entry.column)).toEqual(['email']);
    const tagged = await keel.call('/api/v1/data/tables/contacts/columns/email/tags', {
      method: 'PUT',
      json: { tags: ['pii'] },
    });
    expect(await tagged.json()).toEqual({ tags: ['pii'] });
    const policy = await keel.call('/api/v1/data/masking-policies', {
      json: { tag: 'pii', method: 'partial', roles: ['admin'] },
    });
    expect(policy.status).toBe(201);
    const sql = 'SELECT email FROM contacts ORDER BY id';
    const masked = (await (await keel.call('/api/v1/data/query', { json: { sql } })).json()) as {
      rows: unknown[][];
      masked: string[];
    };
    expect(masked.rows[0]).toEqual(['***********.com']);
    expect(masked.masked).toEqual(['contacts']);
    const csv = await (await keel.call('/api/v1/data/query', { json: { sql, format: 'csv' } })).text();
    expect(csv).not.toContain('example');
    const table = (await (await keel.call('/api/v1/data/tables/contacts')).json()) as {
      columns: Array<{ name: string; tags: string[]; masked: string | null; samples: unknown[] }>;
    };
    expect(table.columns[1]).toMatchObject({ tags: ['pii'], masked: 'partial', samples: [] });
    const { id } = (await policy.json()) as { id: string };
    expect((await keel.call(`/api/v1/data/masking-policies/${id}`, { method: 'DELETE' })).status).toBe(204);
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
