import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../core/logger.js';
import { runInRequestScope } from '../core/request-scope.js';
import type { DatabaseV1 } from '../spec/database.js';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../testing/database.js';
import { AuditLog } from './audit-log.js';
import {
  AUDIT_SELECT,
  type AuditRow,
  CANONICAL_RECORD_SQL,
  canonicalRecord,
  chainHash,
} from './audit-record.js';

let db: DatabaseV1;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});
// One database for the file (each costs seconds to open); every test starts from an empty log.
beforeEach(async () => {
  await tamper('TRUNCATE audit_log');
});

async function append(log: AuditLog, count: number, prefix = 'thing'): Promise<void> {
  for (let index = 0; index < count; index++) {
    log.record({
      action: `${prefix}.create`,
      projectId: 'prj_a',
      target: { type: prefix, id: `${prefix}_${index}` },
      after: { index, name: `n${index}` },
      detail: { index },
    });
  }
  await log.flush();
}

/** Tampering as someone with database rights would: the trigger dropped first. */
async function tamper(sql: string): Promise<void> {
  await db.exec(
    `ALTER TABLE audit_log DISABLE TRIGGER USER; ${sql}; ALTER TABLE audit_log ENABLE TRIGGER USER`,
  );
}

describe('AuditLog', () => {
  it('appends a chain in one order and verifies it', async () => {
    const log = new AuditLog(db, { flushIntervalMs: 5 });
    await append(log, 25);
    const result = await log.verify({ pageSize: 7 });
    expect(result).toMatchObject({ ok: true, records: 25, lastSeq: 25, problem: null });
    expect(result.headHash).toMatch(/^[0-9a-f]{64}$/);
    const rows = await db.query<{
      seq: number;
      target_id: string;
      before_digest: string | null;
      after_digest: string;
    }>('SELECT seq, target_id, before_digest, after_digest FROM audit_log ORDER BY seq');
    expect(rows.rows.map((row) => row.seq)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(rows.rows[3]).toMatchObject({ target_id: 'thing_3', before_digest: null });
    expect(rows.rows[3]!.after_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the actor and request id from the request scope, and marks work outside one as the system', async () => {
    const log = new AuditLog(db);
    runInRequestScope(
      {
        requestId: 'req_x',
        address: null,
        actor: (projectId) => ({ keyId: 'key_1', userId: 'usr_1', role: projectId ? 'editor' : null }),
      },
      () =>
        log.record({ action: 'template.create', projectId: 'prj_a', target: { type: 'template', id: 't' } }),
    );
    log.record({ action: 'installation.start', target: { type: 'installation' } });
    await log.flush();
    const rows = await db.query(
      'SELECT actor_key_id, actor_user_id, actor_role, request_id FROM audit_log ORDER BY seq',
    );
    expect(rows.rows).toEqual([
      { actor_key_id: 'key_1', actor_user_id: 'usr_1', actor_role: 'editor', request_id: 'req_x' },
      { actor_key_id: null, actor_user_id: null, actor_role: 'system', request_id: null },
    ]);
  });

  it('stores text PostgreSQL would refuse or change (NUL, lone surrogates) so that it still verifies', async () => {
    const log = new AuditLog(db);
    log.record({
      action: 'x.create',
      target: { type: 'x', id: 'a\u0000b\uD800' },
      detail: { note: 'c\u0000' },
    });
    await log.flush();
    expect((await log.verify()).ok).toBe(true);
  });

  it('builds the same canonical text in SQL (fast pass) as in JavaScript', async () => {
    const log = new AuditLog(db);
    const nasty = 'q"b\\s\u0001\u001f\b\f\n\r\t\u007f\u2028 é 한국어 😀 </script>';
    log.record({
      action: nasty,
      projectId: nasty,
      target: { type: nasty, id: nasty },
      detail: { [nasty]: nasty },
    });
    log.record({ action: 'plain', target: { type: 'x' } });
    await log.flush();
    const { rows } = await db.query<AuditRow & { canonical: string }>(
      `SELECT ${AUDIT_SELECT}, ${CANONICAL_RECORD_SQL} AS canonical FROM audit_log ORDER BY seq`,
    );
    for (const row of rows) expect(row.canonical).toBe(canonicalRecord(row, row.seq));
    expect(await log.verify()).toMatchObject({ ok: true, records: 2 });
  });

  it('finds the same problem with the in-database fast pass as with every hash computed here', async () => {
    const log = new AuditLog(db, { maxBatch: 500 });
    await append(log, 1200);
    expect(await log.verify({ pageSize: 100 })).toMatchObject({ ok: true, records: 1200 });
    await tamper("UPDATE audit_log SET request_id = 'forged' WHERE seq = 1117");
    const fast = await log.verify({ pageSize: 100 });
    const rows = await log.verify({ pageSize: 100, mode: 'rows' });
    expect(fast.problem).toEqual(rows.problem);
    expect(fast.problem).toMatchObject({ seq: 1117, kind: 'altered' });
    expect(fast.records).toBe(rows.records);
  });

  it('checks fast-pass pages several at once and still names the first problem', async () => {
    const log = new AuditLog(db, { maxBatch: 500 });
    await append(log, 250);
    const pages = { fastPageSize: 20, concurrency: 3 };
    expect(await log.verify(pages)).toMatchObject({ ok: true, records: 250, lastSeq: 250 });
    // A page whose last number is gone, one that was edited further on: the first is named.
    await tamper("UPDATE audit_log SET request_id = 'forged' WHERE seq = 171");
    await tamper('DELETE FROM audit_log WHERE seq = 100');
    expect((await log.verify(pages)).problem).toMatchObject({ seq: 100, kind: 'removed' });
    expect((await log.verify({ ...pages, concurrency: 1 })).problem).toMatchObject({ seq: 100 });
  });

  it('rejects UPDATE, DELETE and TRUNCATE in the database', async () => {
    const log = new AuditLog(db);
    await append(log, 2);
    await expect(db.query("UPDATE audit_log SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await log.verify()).ok).toBe(true);
  });

  it('names an edited record', async () => {
    const log = new AuditLog(db);
    await append(log, 10);
    await tamper("UPDATE audit_log SET target_id = 'other' WHERE seq = 4");
    expect((await log.verify({ pageSize: 3 })).problem).toMatchObject({ seq: 4, kind: 'altered' });
  });

  it('names an edited record whose hash was recomputed (the next record no longer follows it)', async () => {
    const log = new AuditLog(db);
    await append(log, 10);
    const row = (await db.query<AuditRow>(`SELECT ${AUDIT_SELECT} FROM audit_log WHERE seq = 6`)).rows[0]!;
    const forged = chainHash(row.prev_hash, { ...row, action: 'forged' }, 6);
    await db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await db.query("UPDATE audit_log SET action = 'forged', hash = $1 WHERE seq = 6", [forged]);
    const result = await log.verify();
    expect(result.problem).toMatchObject({ seq: 6, kind: 'relinked' });
    expect(result.problem!.message).toMatch(/Record 6 was replaced/);
  });

  it('names a removed record', async () => {
    const log = new AuditLog(db);
    await append(log, 10);
    await tamper('DELETE FROM audit_log WHERE seq IN (5, 6)');
    const result = await log.verify();
    expect(result.problem).toMatchObject({ seq: 5, kind: 'removed' });
    expect(result.problem!.message).toMatch(/Records 5–6 are missing/);
  });

  it('names reordered records', async () => {
    const log = new AuditLog(db);
    await append(log, 10);
    await tamper(
      'UPDATE audit_log SET seq = -7 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = -7',
    );
    const result = await log.verify();
    expect(result.problem).toMatchObject({ seq: 7, kind: 'reordered' });
    expect(result.problem!.message).toMatch(/written as record 8/);
  });

  it('signs records when a key is configured, and catches a chain rebuilt without it', async () => {
    const signed = new AuditLog(db, { signingKey: 'a-signing-key-of-32-characters!!' });
    await append(signed, 5);
    expect(await signed.verify()).toMatchObject({ ok: true, signedRecords: 5 });
    await tamper("UPDATE audit_log SET signature = decode(repeat('00', 32), 'hex') WHERE seq = 3");
    expect((await signed.verify()).problem).toMatchObject({ seq: 3, kind: 'bad_signature' });
    await tamper('UPDATE audit_log SET signature = NULL WHERE seq = 3');
    expect((await signed.verify()).problem).toMatchObject({ seq: 3, kind: 'unsigned' });
  });

  it('forms one chain when two logs append to one database at once', async () => {
    const first = new AuditLog(db, { flushIntervalMs: 1, maxBatch: 7 });
    const second = new AuditLog(db, { flushIntervalMs: 1, maxBatch: 5 });
    await Promise.all([append(first, 60, 'first'), append(second, 60, 'second')]);
    expect(await first.verify()).toMatchObject({ ok: true, records: 120 });
  });

  it('appends after the first flush in one statement, and after another writer through the lock', async () => {
    const calls: string[] = [];
    const counted: DatabaseV1 = Object.assign(Object.create(db) as DatabaseV1, {
      query: (sql: string, params?: readonly unknown[]) => {
        calls.push('query');
        return db.query(sql, params);
      },
      transaction: <T>(fn: Parameters<DatabaseV1['transaction']>[0]) => {
        calls.push('transaction');
        return db.transaction(fn) as Promise<T>;
      },
    });
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args) } as unknown as Logger;
    const log = new AuditLog(counted, { flushIntervalMs: 1_000, logger });
    await append(log, 3, 'first');
    expect(calls).toEqual(['transaction']);
    calls.length = 0;
    await append(log, 4, 'second');
    await append(log, 2, 'third');
    expect(calls).toEqual(['query', 'query']);
    // Another writer appends: this log's head is stale, its next batch goes through the lock.
    await append(new AuditLog(db), 5, 'other');
    calls.length = 0;
    await append(log, 3, 'fourth');
    expect(calls).toEqual(['query', 'transaction']);
    calls.length = 0;
    await append(log, 1, 'fifth');
    expect(calls).toEqual(['query']);
    expect(errors).toEqual([]);
    expect(await log.verify()).toMatchObject({ ok: true, records: 18 });
    const rows = await db.query<{ action: string }>('SELECT action FROM audit_log ORDER BY seq');
    expect(rows.rows.map((row) => row.action.split('.')[0])).toEqual([
      ...Array(3).fill('first'),
      ...Array(4).fill('second'),
      ...Array(2).fill('third'),
      ...Array(5).fill('other'),
      ...Array(3).fill('fourth'),
      'fifth',
    ]);
  });

  it('keeps records whose flush failed and writes them on the next flush', async () => {
    const log = new AuditLog(db);
    await db.exec('ALTER TABLE audit_log RENAME TO audit_log_away');
    log.record({ action: 'x.create', target: { type: 'x' } });
    await expect(log.flush()).rejects.toThrow();
    expect(log.pending).toBe(1);
    await db.exec('ALTER TABLE audit_log_away RENAME TO audit_log');
    await log.close();
    expect(await log.verify()).toMatchObject({ ok: true, records: 1 });
  });

  it('writes access records within their own interval, or sooner with the next change, in order', async () => {
    const log = new AuditLog(db, { flushIntervalMs: 20, accessFlushIntervalMs: 500 });
    const actions = async () =>
      (await db.query<{ target_id: string }>('SELECT target_id FROM audit_log ORDER BY seq')).rows.map(
        (row) => row.target_id,
      );
    const access = (id: string) =>
      log.record({
        action: 'data.query',
        kind: 'access',
        projectId: 'prj_a',
        target: { type: 'data_query', id },
      });
    access('q1');
    await sleep(150);
    expect(await actions()).toEqual([]);
    // A change is written within its own interval, and takes the waiting access record with it.
    log.record({ action: 'thing.create', projectId: 'prj_a', target: { type: 'thing', id: 't1' } });
    await vi.waitFor(async () => expect(await actions()).toEqual(['q1', 't1']), { timeout: 2_000 });
    access('q2');
    await sleep(150);
    expect(log.pending).toBe(1);
    await vi.waitFor(async () => expect(await actions()).toEqual(['q1', 't1', 'q2']), { timeout: 3_000 });
    expect(await log.verify()).toMatchObject({ ok: true, records: 3 });
    access('q3');
    await log.close();
    expect(await actions()).toEqual(['q1', 't1', 'q2', 'q3']);
  });
});

describe.runIf(testPostgresUrl)('AuditLog on PostgreSQL', () => {
  it('forms one chain from two replicas (two pools) appending at once', async () => {
    const { migrate } = await import('../storage/core/migrator.js');
    const { createPostgresDatabase } = await import('../storage/postgres/index.js');
    const server = await createTestPostgresDatabase();
    try {
      await migrate(server.db);
      const other = await createPostgresDatabase({ connectionString: server.url, max: 4 });
      try {
        const first = new AuditLog(server.db, { flushIntervalMs: 1, maxBatch: 3 });
        const second = new AuditLog(other, { flushIntervalMs: 1, maxBatch: 4 });
        await Promise.all([append(first, 80, 'first'), append(second, 80, 'second')]);
        expect(await first.verify()).toMatchObject({ ok: true, records: 160 });
      } finally {
        await other.close();
      }
    } finally {
      await server.drop();
    }
  });
});
