import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/database.js';
import { DataService } from './data-service.js';
import { maskPlan } from './masking.js';

const encode = (text: string) => new TextEncoder().encode(text);
const people =
  'id,name,email,phone,salary\n1,Ana,ana@example.com,010-1234-5678,100\n2,Bo,bo@example.com,,200\n';

describe('masking by role, on the parsed query', () => {
  let dir: string;
  let service: DataService;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-mask-'));
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one')`);
    service = new DataService({ db, audit: { record: () => {} }, dataDir: dir });
    await service.add('p1', { name: 'people', data: encode(people), fileName: 'people.csv' });
    await service.governance.setTags('p1', 'people', 'email', ['pii']);
    await service.governance.setTags('p1', 'people', 'phone', ['pii', 'sensitive']);
    await service.governance.addPolicy('p1', { tag: 'pii', method: 'hash', roles: ['viewer'] });
    await service.governance.addPolicy('p1', {
      tag: 'sensitive',
      method: 'partial',
      roles: ['viewer', 'editor'],
    });
    await service.governance.addPolicy('p1', {
      table: 'people',
      column: 'salary',
      method: 'null',
      roles: ['viewer'],
    });
  });
  afterAll(async () => {
    service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies each method for the roles it names (the strongest wins)', async () => {
    const viewer = await service.query('p1', {
      sql: 'SELECT name, email, phone, salary FROM people ORDER BY id',
      role: 'viewer',
    });
    const [ana, bo] = viewer.rows as string[][];
    expect(ana?.[0]).toBe('Ana');
    expect(ana?.[1]).toMatch(/^[0-9a-f]{16}$/);
    // pii (hash) beats sensitive (partial) for a viewer.
    expect(ana?.[2]).toMatch(/^[0-9a-f]{16}$/);
    expect(ana?.[3]).toBeNull();
    expect(bo?.[2]).toBeNull();
    expect(viewer.masked).toEqual(['people']);
    const editor = await service.query('p1', {
      sql: 'SELECT email, phone, salary FROM people ORDER BY id',
      role: 'editor',
    });
    expect(editor.rows[0]).toEqual(['ana@example.com', '*********5678', 100]);
    const admin = await service.query('p1', { sql: 'SELECT phone FROM people ORDER BY id', role: 'admin' });
    expect(admin.rows[0]).toEqual(['010-1234-5678']);
  });

  it('cannot be bypassed by aliases, expressions, filters, subqueries, CTEs or joins', async () => {
    const attempts = [
      "SELECT p.email FROM people AS p WHERE p.email LIKE 'ana%'",
      'SELECT upper(email) AS e FROM people',
      'SELECT * FROM (SELECT email FROM people) AS s',
      'WITH c AS (SELECT email AS e FROM people) SELECT e FROM c',
      'SELECT a.email FROM people a JOIN people b USING (id)',
      "SELECT string_agg(email, ',') FROM people",
      'SELECT people.email FROM people',
      'SELECT x.c FROM people AS x(i, n, c)',
    ];
    for (const sql of attempts) {
      const result = await service.query('p1', { sql, role: 'viewer' });
      expect(JSON.stringify(result.rows), sql).not.toContain('example.com');
    }
    // A filter on the raw value finds nothing: it compares against the masked value.
    const probe = await service.query('p1', {
      sql: "SELECT count(*) FROM people WHERE email = 'ana@example.com'",
      role: 'viewer',
    });
    expect(probe.rows).toEqual([[0]]);
  });

  it('fails closed when the caller says no role', async () => {
    const result = await service.query('p1', { sql: 'SELECT email FROM people ORDER BY id' });
    expect(String(result.rows[0]?.[0])).not.toContain('@');
  });

  it('shows tags and masks in the catalog, without samples of masked columns', async () => {
    const viewer = await service.catalog('p1', 'people', 'viewer');
    const email = viewer.columns.find((column) => column.name === 'email')!;
    expect(email).toMatchObject({ tags: ['pii'], masked: 'hash', samples: [] });
    const admin = await service.catalog('p1', 'people', 'admin');
    expect(admin.columns.find((column) => column.name === 'email')?.samples.length).toBeGreaterThan(0);
  });

  it('plans masks per role from tags and column policies', () => {
    const plan = maskPlan(
      'viewer',
      [{ table: 'T', column: 'C', tag: 'pii' }],
      [{ id: 'a', tag: 'pii', table: null, column: null, method: 'partial', roles: ['viewer'] }],
    );
    expect([...(plan.get('t') ?? [])]).toEqual([['c', 'partial']]);
    expect(
      maskPlan(
        'admin',
        [],
        [{ id: 'a', tag: 'pii', table: null, column: null, method: 'hash', roles: ['viewer'] }],
      ).size,
    ).toBe(0);
  });
});
