/**
 * Descriptions drafted by a model and reviewed by a person: the model sees the table as the
 * caller may (a masked column's samples are withheld), its draft waits beside the reviewed
 * descriptions until accepted with edits or discarded, columns the table does not have are left
 * out, and bad replies, missing drafts and viewers get coded errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

const customers = 'id,name,email\n1,김민수,minsu@example.com\n2,Ana Lee,ana@example.com\n';
const prompts: string[] = [];

let keel: TestKeel;
let viewerKey: string;

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider({
        name: 'writer',
        respond: (options) => {
          const text = JSON.stringify(options.prompt);
          prompts.push(text);
          if (text.includes('Table broken')) return 'I would rather not.';
          const korean = text.includes('한국어');
          return JSON.stringify({
            description: korean ? '고객 한 명의 연락처' : 'One customer and how to reach them',
            columns: {
              ID: korean ? '고객 번호' : 'Customer number',
              name: korean ? '고객 이름' : 'Full name',
              email: korean ? '이메일 주소' : 'Email address',
              nope: 'a column the table does not have',
            },
          });
        },
      }),
    ],
  });
  for (const [name, csv] of [
    ['customers', customers],
    ['broken', 'a\n1\n'],
  ] as const) {
    const form = new FormData();
    form.set('file', new File([csv], `${name}.csv`, { type: 'text/csv' }));
    expect((await keel.call('/api/v1/data/sources', { method: 'POST', body: form })).status).toBe(201);
  }
  await keel.call('/api/v1/data/tables/customers', { method: 'PATCH', json: { columns: { name: '이름' } } });
  const tagged = await keel.call('/api/v1/data/tables/customers/columns/email/tags', {
    method: 'PUT',
    json: { tags: ['pii'] },
  });
  expect(tagged.status).toBe(200);
  const policy = await keel.call('/api/v1/data/masking-policies', {
    json: { tag: 'pii', method: 'redact', roles: ['admin', 'editor', 'viewer'] },
  });
  expect(policy.status).toBe(201);
  const viewer = await keel.call('/api/v1/keys', { json: { name: 'describe-viewer', role: 'viewer' } });
  viewerKey = ((await viewer.json()) as { key: string }).key;
});
afterAll(async () => {
  await keel?.close();
});

type Table = {
  description: string;
  draft: { description: string; columns: Record<string, string>; model: string; language: string } | null;
  columns: { name: string; description: string }[];
};
const table = async () => (await (await keel.call('/api/v1/data/tables/customers')).json()) as Table;
const draft = (name: string, body: unknown, key?: string) =>
  keel.call(`/api/v1/data/tables/${name}/descriptions/draft`, { json: body, ...(key ? { key } : {}) });

describe('drafted descriptions', () => {
  it('drafts from what the caller may see and keeps the draft beside the reviewed descriptions', async () => {
    const response = await draft('customers', { model: 'writer:reverse', language: 'ko' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Table;
    expect(body.draft).toMatchObject({
      description: '고객 한 명의 연락처',
      columns: { id: '고객 번호', name: '고객 이름', email: '이메일 주소' },
      model: 'writer:reverse',
      language: 'ko',
    });
    expect(Object.keys(body.draft!.columns).sort()).toEqual(['email', 'id', 'name']);
    // The model saw the names and a person's description, not the masked emails.
    const sent = prompts.at(-1)!;
    expect(sent).toContain('김민수');
    expect(sent).toContain('described by a person as: 이름');
    expect(sent).toContain('values withheld');
    expect(sent).not.toContain('@example.com');
    // Nothing a person wrote changed yet.
    const now = await table();
    expect(now.columns.find((c) => c.name === 'name')?.description).toBe('이름');
    expect(now.draft?.language).toBe('ko');
  });

  it('accepts the draft with a person edits, once', async () => {
    const accepted = await keel.call('/api/v1/data/tables/customers/descriptions/draft/accept', {
      json: { description: '고객 연락처 (검토함)', columns: { name: '' } },
    });
    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as Table;
    expect(body.draft).toBeNull();
    expect(body.description).toBe('고객 연락처 (검토함)');
    expect(Object.fromEntries(body.columns.map((c) => [c.name, c.description]))).toEqual({
      id: '고객 번호',
      name: '이름',
      email: '이메일 주소',
    });
    const again = await keel.call('/api/v1/data/tables/customers/descriptions/draft/accept', { json: {} });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({
      error: { code: 'not_found', issues: [{ code: 'no_draft' }] },
    });
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'data.source.describe%' ORDER BY seq",
    );
    expect(rows.map((row) => row.action)).toEqual([
      'data.source.describe',
      'data.source.describe.draft',
      'data.source.describe',
    ]);
  });

  it('discards a draft, and refuses bad replies, unknown models and viewers', async () => {
    expect((await draft('customers', { model: 'writer:reverse' })).status).toBe(200);
    expect((await table()).draft?.language).toBe('en');
    const discarded = await keel.call('/api/v1/data/tables/customers/descriptions/draft', {
      method: 'DELETE',
    });
    expect(discarded.status).toBe(204);
    expect((await table()).draft).toBeNull();
    const twice = await keel.call('/api/v1/data/tables/customers/descriptions/draft', { method: 'DELETE' });
    expect(twice.status).toBe(404);

    const bad = await draft('broken', { model: 'writer:reverse' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      error: { code: 'output_validation_failed', issues: [{ code: 'unparsable_draft' }] },
    });
    const broken = (await (await keel.call('/api/v1/data/tables/broken')).json()) as Table;
    expect(broken.draft).toBeNull();
    expect((await draft('customers', { model: 'writer:nope' })).status).toBe(404);
    expect((await draft('missing', { model: 'writer:reverse' })).status).toBe(404);
    expect((await draft('customers', { model: 'writer:reverse', language: 'fr' })).status).toBe(400);
    expect((await draft('customers', { model: 'writer:reverse' }, viewerKey)).status).toBe(403);
  });
});
