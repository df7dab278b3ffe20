/**
 * The data module on two replicas (two data services, each with its own data directory, on one
 * database): a table uploaded through one is queryable through the other, whose engine was open
 * before, with the file fetched from the shared file store; a masking policy saved on one is
 * applied by the other at once; a removed table is gone from both; and without a shared store, a
 * file that only another replica holds is a coded error that says how to share uploads. Uploads
 * recorded before this (with the receiving replica's full path) still open.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectFiles } from '../extraction/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import { createTestDatabase } from '../testing/database.js';
import { codeOf } from '../testing/outcomes.js';
import { DataService } from './data-service.js';

const encode = (text: string) => new TextEncoder().encode(text);
const people = 'id,name,email\n1,Ana,ana@example.com\n2,Bo,bo@example.com\n';
const noAudit = { record: () => {} };

describe('data on several replicas', () => {
  let root: string;
  let db: DatabaseV1;
  const services: DataService[] = [];
  const replica = (name: string, shared: boolean) => {
    const service = new DataService({
      db,
      audit: noAudit,
      dataDir: path.join(root, name),
      ...(shared ? { shared: new ProjectFiles(path.join(root, 'shared')) } : {}),
    });
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'keel-data-replicas-'));
    db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(
      `INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one'), ('p2', 'o1', 'two'), ('p3', 'o1', 'three')`,
    );
  });
  afterAll(async () => {
    for (const service of services) service.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves, masks and drops a table uploaded through another replica', async () => {
    const a = replica('a', true);
    const b = replica('b', true);
    await a.add('p1', { name: 'first', data: encode('x\n1\n'), fileName: 'first.csv' });
    // B's engine opens before the next table exists.
    expect((await b.query('p1', { sql: 'SELECT x FROM first' })).rows).toEqual([[1]]);
    await a.add('p1', { name: 'people', data: encode(people), fileName: 'people.csv' });
    expect((await b.query('p1', { sql: 'SELECT name FROM people ORDER BY id' })).rows).toEqual([
      ['Ana'],
      ['Bo'],
    ]);
    expect(await readdir(path.join(root, 'b', 'data', 'p1'))).toHaveLength(2);

    // B has read the masking snapshot; a policy saved on A applies on B at once.
    expect(
      (await b.query('p1', { sql: 'SELECT email FROM people WHERE id = 1', role: 'viewer' })).rows,
    ).toEqual([['ana@example.com']]);
    await a.governance.setTags('p1', 'people', 'email', ['pii']);
    await a.governance.addPolicy('p1', { tag: 'pii', method: 'redact', roles: ['viewer'] });
    const masked = await b.query('p1', { sql: 'SELECT email FROM people WHERE id = 1', role: 'viewer' });
    expect(masked.rows[0]?.[0]).not.toBe('ana@example.com');
    expect(masked.masked).toEqual(['people']);

    await a.remove('p1', 'people');
    expect(await codeOf(b.query('p1', { sql: 'SELECT name FROM people' }))).toBe('not_found:unknown_table');
    await expect(new ProjectFiles(path.join(root, 'shared')).list('p1')).resolves.toHaveLength(1);
  });

  it('without a shared store, says the file is on another replica', async () => {
    const c = replica('c', false);
    const d = replica('d', false);
    await c.add('p2', { name: 'local_only', data: encode('y\n2\n'), fileName: 'l.csv' });
    expect((await c.query('p2', { sql: 'SELECT y FROM local_only' })).rows).toEqual([[2]]);
    expect(await codeOf(d.query('p2', { sql: 'SELECT y FROM local_only' }))).toBe(
      'invalid_data_file:upload_on_other_replica',
    );
    await c.remove('p2', 'local_only');
  });

  it('opens an upload recorded with the full path of the replica that received it', async () => {
    const e = replica('e', false);
    const added = await e.add('p2', { name: 'legacy', data: encode('z\n3\n'), fileName: 'z.csv' });
    await db.query(`UPDATE data_sources SET path = $1 WHERE id = $2`, [added.path, added.id]);
    const fresh = replica('e', false);
    expect((await fresh.source('p2', 'legacy')).path).toBe(added.path);
    expect((await fresh.query('p2', { sql: 'SELECT z FROM legacy' })).rows).toEqual([[3]]);
  });
});
