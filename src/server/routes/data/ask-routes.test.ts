import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlWriter } from '../../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

describe('POST /api/v1/data/ask', () => {
  let keel: TestKeel;

  beforeAll(async () => {
    keel = await createTestKeel({
      providers: [
        // Canned SQL; the repair prompt (which carries the error) gets the fixed query.
        createSqlWriter((text) => {
          if (text.includes('every order id'))
            return { sql: 'SELECT id FROM orders ORDER BY id', explanation: 'ids' };
          if (text.includes('That SQL failed'))
            return { sql: 'SELECT count(*) AS n FROM orders', explanation: '주문 수를 셉니다.' };
          return { sql: 'SELECT count(*) AS n FROM order', explanation: 'first try' };
        }),
      ],
    });
    const form = new FormData();
    form.set('file', new File(['id,total\n1,9.5\n2,3\n'], 'orders.csv', { type: 'text/csv' }));
    form.set('description', '주문 내역');
    expect((await keel.call('/api/v1/data/sources', { method: 'POST', body: form })).status).toBe(201);
  });
  afterAll(async () => {
    await keel.close();
  });

  it('answers with the SQL, the result, the explanation and each step (one repair)', async () => {
    const response = await keel.call('/api/v1/data/ask', {
      json: { question: '주문은 모두 몇 건인가요?', model: 'sql:reverse' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      ok: boolean;
      sql: string;
      explanation: string;
      result: { rows: unknown[][] };
      steps: Array<{ step: string; ok?: boolean }>;
    };
    expect(body).toMatchObject({
      ok: true,
      sql: 'SELECT count(*) AS n FROM orders',
      explanation: '주문 수를 셉니다.',
    });
    expect(body.result.rows).toEqual([[2]]);
    expect(body.steps.map((step) => step.step)).toEqual([
      'select_tables',
      'generate',
      'check',
      'generate',
      'check',
      'run',
    ]);
    expect(body.steps[2]?.ok).toBe(false);
  });

  it('pages the result as a paged query does: the first page, then the rest by its token', async () => {
    const response = await keel.call('/api/v1/data/ask', {
      json: { question: 'List every order id', model: 'sql:reverse', page_size: 1 },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      result: { rows: unknown[][]; total_rows: number; offset: number; next_page_token: string | null };
      steps: Array<{ step: string; row_count?: number }>;
    };
    expect(body.result).toMatchObject({ rows: [[1]], total_rows: 2, offset: 0 });
    expect(body.steps.at(-1)).toMatchObject({ step: 'run', row_count: 2 });
    const next = await keel.call('/api/v1/data/query/page', {
      json: { page_token: body.result.next_page_token },
    });
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ rows: [[2]], offset: 1, next_page_token: null });
    // Without page_size the whole (bounded) result comes at once, with no token.
    const whole = await keel.call('/api/v1/data/ask', {
      json: { question: 'List every order id', model: 'sql:reverse' },
    });
    const all = (await whole.json()) as { result: Record<string, unknown> };
    expect(all.result.rows).toEqual([[1], [2]]);
    expect(all.result).not.toHaveProperty('next_page_token');
  });

  it('refuses a malformed request with a coded 400', async () => {
    const response = await keel.call('/api/v1/data/ask', { json: { question: '' } });
    expect(response.status).toBe(400);
  });
});
