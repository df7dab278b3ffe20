/**
 * The ledger on PostgreSQL (when KEEL_TEST_DATABASE_URL is set): two ledgers on two connection
 * pools — two replicas — race 200 reservations against a budget for 50.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noAudit } from '../../audit/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { migrate } from '../../storage/core/migrator.js';
import { createPostgresDatabase } from '../../storage/postgres/index.js';
import { createTestPostgresDatabase, testPostgresUrl } from '../../testing/database.js';
import { Ledger } from './ledger.js';
import { runLeaseSuite } from './ledger-leases.suite.js';
import { LimitStore } from './limit-store.js';

describe.skipIf(!testPostgresUrl)('the ledger on PostgreSQL', () => {
  let db: DatabaseV1;
  let second: DatabaseV1;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createTestPostgresDatabase();
    db = created.db;
    drop = created.drop;
    await migrate(db);
    second = await createPostgresDatabase({ connectionString: created.url, max: 4 });
    await db.query("INSERT INTO organizations (id, name) VALUES ('org_l', 'l')");
    await db.query("INSERT INTO projects (id, organization_id, name) VALUES ('prj_l', 'org_l', 'l')");
  });
  afterAll(async () => {
    await second?.close();
    await drop?.();
  });

  it('lets exactly 50 of 200 concurrent reservations through two replicas, with zero overrun', async () => {
    const limits = new LimitStore(db, noAudit);
    const limit = await limits.set('prj_l', {
      scopeType: 'project',
      scopeId: 'prj_l',
      metric: 'token_budget',
      limit: 800,
    });
    const ledgers = [
      new Ledger({ db, limits }),
      new Ledger({ db: second, limits: new LimitStore(second, noAudit) }),
    ];
    const scope = { projectId: 'prj_l', keyId: null, deploymentId: null };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, async (_, index) => {
        const reservation = await ledgers[index % 2]!.reserve(scope, { tokens: 16, cost: 0 });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await reservation.settle({ tokens: 16, cost: 0 });
      }),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(50);
    await Promise.all(ledgers.map((ledger) => ledger.drain()));
    const { rows } = await db.query<{ used: number; reserved: number }>(
      'SELECT used, reserved FROM ledger_counters WHERE limit_id = $1',
      [limit.id],
    );
    expect(rows[0]).toEqual({ used: 800, reserved: 0 });
  });
});

describe.skipIf(!testPostgresUrl)('the ledger across a killed replica (PostgreSQL)', () => {
  const child = fileURLToPath(new URL('./lease-holder-child.ts', import.meta.url));
  let db: DatabaseV1;
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createTestPostgresDatabase();
    db = created.db;
    url = created.url;
    drop = created.drop;
    await migrate(db);
    await db.query("INSERT INTO organizations (id, name) VALUES ('org_k', 'k')");
    await db.query("INSERT INTO projects (id, organization_id, name) VALUES ('prj_k', 'org_k', 'k')");
  });
  afterAll(async () => {
    await drop?.();
  });

  it('gives the lease of a replica killed with SIGKILL back to a lifetime budget once its heartbeat expires', {
    timeout: 120_000,
  }, async () => {
    const limits = new LimitStore(db, noAudit);
    const limit = await limits.set('prj_k', {
      scopeType: 'project',
      scopeId: 'prj_k',
      metric: 'token_budget',
      limit: 800,
    });
    // Long enough that a loaded machine refuses before the dead replica's heartbeat expires.
    const ttlMs = 6_000;
    const replica = spawn(process.execPath, ['--import', 'tsx', child, url, 'prj_k', String(ttlMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    replica.stderr!.on('data', (chunk) => {
      errors += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      replica.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"holding"')) resolve();
      });
      replica.once('exit', (code) => reject(new Error(`the replica exited with ${code}: ${errors}`)));
    });
    const counter = async () => {
      const { rows } = await db.query<{ used: number; reserved: number }>(
        'SELECT used, reserved FROM ledger_counters WHERE limit_id = $1',
        [limit.id],
      );
      return { used: Number(rows[0]!.used), reserved: Number(rows[0]!.reserved) };
    };
    const stranded = await counter();
    expect(stranded.used).toBe(16);
    expect(stranded.reserved).toBeGreaterThan(16);
    const exited = new Promise((resolve) => replica.once('exit', resolve));
    replica.kill('SIGKILL');
    await exited;

    const ledger = new Ledger({ db, limits, lease: { ttlMs, graceMs: 0 } });
    const scope = { projectId: 'prj_k', keyId: null, deploymentId: null };
    const rest = 800 - 16 - 16;
    // While the dead replica's heartbeat is young, its lease is its own.
    await expect(ledger.reserve(scope, { tokens: rest, cost: 0 })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await new Promise((resolve) => setTimeout(resolve, ttlMs + 500));
    // Expired: reclaimed on the refusal; the call it had in flight stays booked as used.
    await (await ledger.reserve(scope, { tokens: rest, cost: 0 })).settle({ tokens: rest, cost: 0 });
    await ledger.drain();
    expect(await counter()).toEqual({ used: 800, reserved: 0 });
    expect((await db.query('SELECT 1 FROM ledger_leases')).rows).toEqual([]);
  });
});

describe.skipIf(!testPostgresUrl)('the ledger on leases (PostgreSQL, two pools on one database)', () => {
  runLeaseSuite(async () => {
    const created = await createTestPostgresDatabase();
    await migrate(created.db);
    const second = await createPostgresDatabase({ connectionString: created.url, max: 4 });
    return {
      a: created.db,
      b: second,
      close: async () => {
        await second.close();
        await created.drop();
      },
    };
  });
});
