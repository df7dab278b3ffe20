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
import { leaseDefaults } from './lease-book.js';
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

  it('gives the lease of a replica killed with SIGKILL back to a lifetime budget within ttl + grace', {
    timeout: 120_000,
  }, async () => {
    const limits = new LimitStore(db, noAudit);
    const limit = await limits.set('prj_k', {
      scopeType: 'project',
      scopeId: 'prj_k',
      metric: 'token_budget',
      limit: 800,
    });
    // The replica runs on the default heartbeat (a beat a second, a 3 s lease, 0.5 s grace).
    const replica = spawn(process.execPath, ['--import', 'tsx', child, url, 'prj_k'], {
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
    const killedAt = performance.now();

    const ledger = new Ledger({ db, limits });
    const scope = { projectId: 'prj_k', keyId: null, deploymentId: null };
    const rest = 800 - 16 - 16;
    // Asked every 100 ms: refused while the dead replica's heartbeat is young (its lease is its
    // own), granted once it expired — the refusal reclaims it. The call in flight stays booked.
    let refusals = 0;
    let granted: Awaited<ReturnType<Ledger['reserve']>> | undefined;
    while (!granted) {
      granted = await ledger.reserve(scope, { tokens: rest, cost: 0 }).catch((error: { code?: string }) => {
        expect(error.code).toBe('rate_limited');
        refusals++;
        return undefined;
      });
      if (!granted) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const backAfterMs = performance.now() - killedAt;
    await granted.settle({ tokens: rest, cost: 0 });
    await ledger.drain();
    // Its last beat was at most a second before the kill: back within ttl + grace of it, with
    // slack for a loaded machine (the old 10 s + 2 s window would fail this).
    expect(refusals).toBeGreaterThan(0);
    expect(backAfterMs).toBeLessThan(leaseDefaults.ttlMs + leaseDefaults.graceMs + 2_500);
    expect(await counter()).toEqual({ used: 800, reserved: 0 });
    // The dead replica's tombstone: the call it had in flight, kept against a late settle.
    const { rows } = await db.query<{ outstanding: number; credit: number }>(
      'SELECT outstanding, credit FROM ledger_leases',
    );
    expect(rows.map((row) => ({ outstanding: Number(row.outstanding), credit: Number(row.credit) }))).toEqual(
      [{ outstanding: 0, credit: 16 }],
    );
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
