import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { createTestDatabase } from '../testing/database.js';
import { DataService } from './data-service.js';
import { keyFamilyOf, nameSimilarity } from './join-keys.js';
import { buildSqlPrompt } from './sql-prompt.js';

const encode = (text: string) => new TextEncoder().encode(text);
const lines = (header: string, count: number, row: (index: number) => string) =>
  `${header}\n${Array.from({ length: count }, (_, index) => row(index + 1)).join('\n')}\n`;

describe('join-key names and types', () => {
  it('scores names that name the table, equal names and similar spellings', () => {
    expect(nameSimilarity('car_id', 'cars', 'id')).toEqual({ score: 1, rule: 'names_table' });
    expect(nameSimilarity('customer', 'customers', 'id')).toEqual({ score: 1, rule: 'names_table' });
    expect(nameSimilarity('categoryId', 'categories', 'id')).toEqual({ score: 1, rule: 'names_table' });
    expect(nameSimilarity('merchant_id', 'merchants', 'mid')).toEqual({ score: 1, rule: 'names_table' });
    // Equal names: higher on the table the column is the key of (its name abbreviates the table).
    expect(nameSimilarity('doc_id', 'doctors', 'doc_id')).toEqual({ score: 0.95, rule: 'equal' });
    expect(nameSimilarity('cid', 'conference', 'cid')).toEqual({ score: 0.95, rule: 'equal' });
    expect(nameSimilarity('cid', 'domain_conference', 'cid')).toEqual({ score: 0.9, rule: 'equal' });
    expect(nameSimilarity('id', 'cars', 'id')).toEqual({ score: 0.3, rule: 'equal' });
    const similar = nameSimilarity('sbTxCustId', 'sbCustomer', 'sbCustId');
    expect(similar.rule).toBe('similar');
    expect(similar.score).toBeGreaterThan(0.6);
    expect(nameSimilarity('quantity', 'cars', 'id').score).toBe(0);
  });

  it('keeps key types and leaves out the rest', () => {
    expect(keyFamilyOf('BIGINT')).toBe('integer');
    expect(keyFamilyOf('DECIMAL(10,0)')).toBe('integer');
    expect(keyFamilyOf('VARCHAR')).toBe('text');
    expect(keyFamilyOf('DECIMAL(10,2)')).toBeNull();
    expect(keyFamilyOf('DOUBLE')).toBeNull();
    expect(keyFamilyOf('DATE')).toBeNull();
  });
});

describe('join-key discovery', () => {
  let dir: string;
  let service: DataService;
  const records: Array<{ action: string; before?: unknown; after?: unknown }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-joins-'));
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(
      `INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one'), ('p2', 'o1', 'two')`,
    );
    service = new DataService({
      db,
      audit: { record: (event) => void records.push(event) },
      dataDir: dir,
    });
    const add = (project: string, name: string, text: string) =>
      service.add(project, { name, data: encode(text), fileName: `${name}.csv` });
    await add(
      'p1',
      'cars',
      lines('id,make,year', 20, (i) => `${i},make ${i % 4},${2000 + (i % 20)}`),
    );
    await add(
      'p1',
      'customers',
      lines('id,name,code', 30, (i) => `${i},name ${i},C${i}`),
    );
    // sales.car_id refers to cars.id and customer_id to customers.id; quantity is small integers
    // that fit inside cars.id too (values overlap by chance, names say nothing).
    await add(
      'p1',
      'sales',
      lines(
        'id,car_id,customer_id,quantity,customer_code',
        50,
        (i) => `${i},${(i % 20) + 1},${(i % 30) + 1},${(i % 3) + 1},C${(i % 30) + 1}`,
      ),
    );
    await add(
      'p2',
      'other',
      lines('id,car_id', 5, (i) => `${i},${i}`),
    );
  });
  afterAll(async () => {
    service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('proposes the declared-style keys with evidence and leaves chance overlaps out', async () => {
    const joins = await service.discoverJoins('p1', 'u1');
    const pairs = joins.map(
      (row) => `${row.from_table}.${row.from_column}->${row.to_table}.${row.to_column}`,
    );
    expect(pairs).toContain('sales.car_id->cars.id');
    expect(pairs).toContain('sales.customer_id->customers.id');
    expect(pairs).toContain('sales.customer_code->customers.code');
    expect(pairs.some((pair) => pair.startsWith('sales.quantity'))).toBe(false);
    // Primary keys named id overlap by value but a generic equal name is no evidence.
    expect(pairs.some((pair) => pair.endsWith('.id') && pair.split('->')[0]!.endsWith('.id'))).toBe(false);
    const car = joins.find((row) => row.from_column === 'car_id')!;
    expect(car.status).toBe('proposed');
    expect(car.score).toBe(1);
    expect(car.evidence).toMatchObject({
      nameRule: 'names_table',
      typeFamily: 'integer',
      containment: 1,
      fromDistinct: 20,
      toDistinct: 20,
    });
    expect(records.at(-1)?.action).toBe('data.joins.discover');
    // Project-scoped: the other project sees none of them.
    expect(await service.joins('p2')).toEqual([]);
  });

  it('keeps a person’s decision across discovery runs, audited', async () => {
    const joins = await service.joins('p1');
    const car = joins.find((row) => row.from_column === 'car_id')!;
    const code = joins.find((row) => row.from_column === 'customer_code')!;
    const accepted = await service.joinKeys.decide('p1', car.id, 'accepted', 'u1');
    expect(accepted).toMatchObject({ status: 'accepted', decided_by: 'u1' });
    expect(records.at(-1)).toMatchObject({
      action: 'data.joins.decide',
      before: { status: 'proposed' },
      after: { status: 'accepted', join: 'sales.car_id -> cars.id' },
    });
    await service.joinKeys.decide('p1', code.id, 'rejected', 'u1');
    // Accepted join keys between the tables a question uses go into the model's prompt.
    const prompt = buildSqlPrompt('q', await service.catalogs('p1'), [
      ...(await service.joins('p1')).filter((row) => row.status === 'accepted'),
    ])[1]!.content;
    expect(prompt).toContain('Join keys (confirmed by people):\n  sales.car_id = cars.id');
    expect(prompt).not.toContain('customer_code =');
    const again = await service.discoverJoins('p1');
    expect(again.find((row) => row.id === car.id)?.status).toBe('accepted');
    expect(again.find((row) => row.id === code.id)?.status).toBe('rejected');
  });

  it('refuses a decision on another project’s join key', async () => {
    const car = (await service.joins('p1')).find((row) => row.from_column === 'car_id')!;
    const error = await service.joinKeys.decide('p2', car.id, 'rejected').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).issues?.[0]?.code).toBe('unknown_join_key');
  });

  it('drops join keys of a removed table from the list', async () => {
    await service.remove('p1', 'customers');
    const pairs = (await service.joins('p1')).map((row) => row.to_table);
    expect(pairs).not.toContain('customers');
    expect(pairs).toContain('cars');
  });
});
