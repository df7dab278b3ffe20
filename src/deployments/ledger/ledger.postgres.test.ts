/**
 * The ledger on PostgreSQL (when KEEL_TEST_DATABASE_URL is set): two ledgers on two connection
 * pools — two replicas — race 200 reservations against a budget for 50.
 */
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
