import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

describe('/api/v1/data/query paging and Arrow', () => {
  let keel: TestKeel;

  beforeAll(async () => {
    keel = await createTestKeel();
    const lines = ['id,name'];
    for (let i = 1; i <= 1_234; i++) lines.push(`${i},n${i}`);
    const form = new FormData();
    form.set('file', new File([`${lines.join('\n')}\n`], 'items.csv', { type: 'text/csv' }));
    expect((await keel.call('/api/v1/data/sources', { method: 'POST', body: form })).status).toBe(201);
  });
  afterAll(async () => {
    await keel.close();
  });

  it('returns pages with a next_page_token until the last one', async () => {
    const sql = 'SELECT id, name FROM items ORDER BY id';
    const first = await keel.call('/api/v1/data/query', { json: { sql, page_size: 500 } });
    expect(first.status).toBe(200);
    type Page = { rows: unknown[][]; total_rows: number; offset: number; next_page_token: string | null };
    let page = (await first.json()) as Page;
    expect(page).toMatchObject({ total_rows: 1_234, offset: 0 });
    const ids: unknown[] = page.rows.map((row) => row[0]);
    while (page.next_page_token) {
      const next = await keel.call('/api/v1/data/query/page', { json: { page_token: page.next_page_token } });
      expect(next.status).toBe(200);
      expect(next.headers.get('x-keel-row-count')).toBe(String(Math.min(500, 1_234 - ids.length)));
      page = (await next.json()) as Page;
      ids.push(...page.rows.map((row) => row[0]));
    }
    expect(page.offset).toBe(1_000);
    expect(ids).toEqual(Array.from({ length: 1_234 }, (_, i) => i + 1));
  });

  it('refuses a bad token and page_size on an export, with coded issues', async () => {
    const bad = await keel.call('/api/v1/data/query/page', { json: { page_token: 'abc.def' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ code: string }> } }).error.issues[0]?.code).toBe(
      'invalid_page_token',
    );
    const mixed = await keel.call('/api/v1/data/query', {
      json: { sql: 'SELECT 1', page_size: 10, format: 'csv' },
    });
    expect(mixed.status).toBe(400);
    expect(
      ((await mixed.json()) as { error: { issues: Array<{ code: string }> } }).error.issues[0]?.code,
    ).toBe('page_size_not_for_exports');
  });

  it('streams an Arrow export', async () => {
    const response = await keel.call('/api/v1/data/query', {
      json: { sql: 'SELECT id, name FROM items WHERE id <= 3 ORDER BY id', format: 'arrow' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect(response.headers.get('x-keel-row-count')).toBe('3');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    expect(table.getChild('name')?.toArray()).toEqual(['n1', 'n2', 'n3']);
  });
});
