/**
 * The ledger's leases, for any database: two Ledger instances — two replicas — on one database.
 * Run on PGlite always (`ledger-leases.test.ts`) and on PostgreSQL over two connection pools when
 * KEEL_TEST_DATABASE_URL is set (`ledger.postgres.test.ts`).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { noAudit } from '../../audit/index.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import { Ledger, windowStartOf } from './ledger.js';
import { type LedgerLimit, LimitStore, type SetLimitInput } from './limit-store.js';

export interface LeaseSuiteDatabases {
  /** Two handles on one database (two pools on PostgreSQL; the same handle twice on PGlite). */
  a: DatabaseV1;
  b: DatabaseV1;
  close: () => Promise<void>;
}

const scope = { projectId: 'prj_lease', keyId: null, deploymentId: null };
const tokens = (n: number) => ({ tokens: n, cost: 0 });

export function runLeaseSuite(open: () => Promise<LeaseSuiteDatabases>): void {
  let dbs: LeaseSuiteDatabases;
  let limits: LimitStore;
  let clock = Date.UTC(2026, 0, 1, 12, 0, 5);
  const now = () => clock;
  const ledgers = () => [
    new Ledger({ db: dbs.a, limits, now }),
    new Ledger({ db: dbs.b, limits: new LimitStore(dbs.b, noAudit), now }),
  ];
  const counter = async (limit: LedgerLimit, windowStart = 0) => {
    const { rows } = await dbs.a.query<{ used: number; reserved: number }>(
      'SELECT used, reserved FROM ledger_counters WHERE limit_id = $1 AND window_start = $2',
      [limit.id, windowStart],
    );
    return { used: Number(rows[0]?.used ?? 0), reserved: Number(rows[0]?.reserved ?? 0) };
  };
  /** The lease rows of one limit (a replica's lease, or a reclaimed lease's tombstone). */
  const leaseRows = async (limit: LedgerLimit) =>
    (
      await dbs.a.query<{ outstanding: number; held: number; credit: number }>(
        'SELECT outstanding, held, credit FROM ledger_leases WHERE limit_id = $1 ORDER BY replica_id',
        [limit.id],
      )
    ).rows.map((row) => ({
      outstanding: Number(row.outstanding),
      held: Number(row.held),
      credit: Number(row.credit),
    }));
  /** Waits (at most 20 s) until a replica's flush wrote what its call in flight holds. */
  const heldWritten = async (limit: LedgerLimit, held: number) => {
    const until = Date.now() + 20_000;
    while ((await leaseRows(limit))[0]?.held !== held) {
      if (Date.now() > until) throw new Error(`no flush wrote held = ${held}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const setLimit = (input: Omit<SetLimitInput, 'scopeType' | 'scopeId'>) =>
    limits.set(scope.projectId, { scopeType: 'project', scopeId: scope.projectId, ...input });

  beforeAll(async () => {
    dbs = await open();
    await dbs.a.query("INSERT INTO organizations (id, name) VALUES ('org_lease', 'l')");
    await dbs.a.query(
      "INSERT INTO projects (id, organization_id, name) VALUES ('prj_lease', 'org_lease', 'l')",
    );
    limits = new LimitStore(dbs.a, noAudit);
  });
  // Limits go after each test, passed or failed (their counters go with them).
  afterEach(async () => {
    for (const limit of (await limits?.list(scope.projectId)) ?? [])
      await limits.remove(scope.projectId, limit.id);
  });
  afterAll(async () => {
    await dbs?.close();
  });

  it('lets exactly 50 of 200 concurrent reservations through two ledgers, with zero overrun', async () => {
    const limit = await setLimit({ metric: 'token_budget', limit: 50 * 16 });
    const [a, b] = ledgers();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, async (_, index) => {
        const reservation = await (index % 2 ? b! : a!).reserve(scope, tokens(16));
        await new Promise((resolve) => setTimeout(resolve, 5));
        await reservation.settle(tokens(16));
      }),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(50);
    const refusals = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refusals.every((outcome) => (outcome.reason as { code?: string }).code === 'rate_limited')).toBe(
      true,
    );
    await Promise.all([a!.drain(), b!.drain()]);
    expect(await counter(limit)).toEqual({ used: 800, reserved: 0 });
  });

  it('books exactly what calls used on a rate and a budget together, never past the cap, with varied amounts', async () => {
    const budget = await setLimit({ metric: 'token_budget', limit: 2_000 });
    const rate = await setLimit({ metric: 'requests_per_minute', limit: 1_000_000 });
    const [a, b] = ledgers();
    let booked = 0;
    let grantedCalls = 0;
    await Promise.allSettled(
      Array.from({ length: 300 }, async (_, index) => {
        const amount = 1 + ((index * 7) % 30);
        await new Promise((resolve) => setTimeout(resolve, index % 7));
        const reservation = await (index % 2 ? b! : a!).reserve(scope, tokens(amount));
        grantedCalls++;
        await new Promise((resolve) => setTimeout(resolve, index % 5));
        // Some calls use less than they held: the rest goes back to the lease.
        const used = index % 3 === 0 ? amount - 1 : amount;
        booked += used;
        await reservation.settle(tokens(used));
      }),
    );
    await Promise.all([a!.drain(), b!.drain()]);
    expect(await counter(budget)).toEqual({ used: booked, reserved: 0 });
    expect(booked).toBeLessThanOrEqual(2_000);
    // Little stranded: when the race ends each replica may keep less than one call's worth spare.
    expect(2_000 - booked).toBeLessThan(2 * 30);
    expect((await counter(rate, windowStartOf(rate, clock))).reserved).toBe(0);
    expect((await counter(rate, windowStartOf(rate, clock))).used).toBe(grantedCalls);
  });

  it('serves reservations from a lease without a round trip, and hands the lease back on drain', async () => {
    const limit = await setLimit({ metric: 'token_budget', limit: 100_000 });
    const [a] = ledgers();
    const first = await a!.reserve(scope, tokens(10));
    const leased = await counter(limit);
    // More than the call needs went to this replica: the lease.
    expect(leased.reserved).toBeGreaterThan(10);
    const held = [first];
    for (let i = 0; i < 5; i++) held.push(await a!.reserve(scope, tokens(10)));
    // Served from the lease: the database counter did not move.
    expect(await counter(limit)).toEqual(leased);
    for (const reservation of held) await reservation.settle(tokens(7));
    await a!.drain();
    expect(await counter(limit)).toEqual({ used: 42, reserved: 0 });
  });

  it('rolls over to a new window: the old lease goes back, the new window counts afresh', async () => {
    const limit = await setLimit({ metric: 'requests_per_minute', limit: 3 });
    const [a, b] = ledgers();
    const first = windowStartOf(limit, clock);
    for (const ledger of [a, b, a]) await (await ledger!.reserve(scope, tokens(1))).settle(tokens(1));
    await expect(b!.reserve(scope, tokens(1))).rejects.toMatchObject({
      code: 'rate_limited',
      data: { rateLimit: { limit: 3, remaining: 0 } },
    });
    clock += 60_000;
    const next = windowStartOf(limit, clock);
    expect(next).toBe(first + 60);
    await (await b!.reserve(scope, tokens(1))).settle(tokens(1));
    await Promise.all([a!.drain(), b!.drain()]);
    expect(await counter(limit, first)).toEqual({ used: 3, reserved: 0 });
    expect(await counter(limit, next)).toEqual({ used: 1, reserved: 0 });

    // A roomy rate: leases out in one window are handed back once it ends.
    await setLimit({ metric: 'requests_per_minute', limit: 1_000 });
    clock += 60_000;
    const third = windowStartOf(limit, clock);
    for (let i = 0; i < 4; i++) await (await a!.reserve(scope, tokens(1))).settle(tokens(1));
    expect((await counter(limit, third)).reserved).toBeGreaterThan(0);
    clock += 60_000;
    await (await a!.reserve(scope, tokens(1))).settle(tokens(1));
    await a!.drain();
    expect(await counter(limit, third)).toEqual({ used: 4, reserved: 0 });
    expect(await counter(limit, third + 60)).toEqual({ used: 1, reserved: 0 });
  });

  it('holds a cap lowered while leases are out', async () => {
    const limit = await setLimit({ metric: 'token_budget', limit: 10_000 });
    const [a, b] = ledgers();
    for (const ledger of [a, b, a, b]) await (await ledger!.reserve(scope, tokens(10))).settle(tokens(10));
    // Both replicas hold leases well past what they used.
    expect((await counter(limit)).reserved).toBeGreaterThan(40);
    await setLimit({ metric: 'token_budget', limit: 60 });
    // Each replica hears of the change (PostgreSQL: within milliseconds; PGlite: at once).
    for (const ledger of [a!, b!])
      while ((await ledger.limitsOf(scope.projectId))[0]?.limit !== 60)
        await new Promise((resolve) => setTimeout(resolve, 10));
    // Whatever the timing of the leases coming back, no more than the new cap is granted.
    const race = await Promise.allSettled(
      Array.from({ length: 10 }, async (_, index) => {
        const reservation = await (index % 2 ? b! : a!).reserve(scope, tokens(10));
        await reservation.settle(tokens(10));
      }),
    );
    const granted = race.filter((outcome) => outcome.status === 'fulfilled').length;
    expect(granted).toBeLessThanOrEqual(2);
    await Promise.all([a!.drain(), b!.drain()]);
    expect(await counter(limit)).toEqual({ used: 40 + 10 * granted, reserved: 0 });
    // Once the old leases are back, exactly what the new cap leaves is served.
    let more = 0;
    for (let i = 0; i < 6; i++)
      await (i % 2 ? b! : a!)
        .reserve(scope, tokens(10))
        .then(async (reservation) => {
          more++;
          await reservation.settle(tokens(10));
        })
        .catch(() => undefined);
    expect(40 + 10 * (granted + more)).toBe(60);
    await Promise.all([a!.drain(), b!.drain()]);
    expect(await counter(limit)).toEqual({ used: 60, reserved: 0 });
  });

  it("gives a killed replica's unused lease back to the budget once its heartbeat expires", async () => {
    // A lifetime budget: without reclaiming, what the dead replica held would be gone for good.
    const limit = await setLimit({ metric: 'token_budget', limit: 800 });
    const lease = { ttlMs: 3_000, graceMs: 0 };
    // Replica A's connection to the database: killing A cuts it, as a killed process would —
    // no heartbeat, no flush, no hand-back, and the call it had in flight never settles.
    let killed = false;
    const cut = () => Promise.reject(new Error('the replica was killed'));
    const doomed: DatabaseSession = {
      query: (sql, params) => (killed ? cut() : dbs.a.query(sql, params)),
      exec: (sql) => (killed ? cut() : dbs.a.exec(sql)),
    };
    const a = new Ledger({ db: doomed, limits, now, lease });
    const b = new Ledger({ db: dbs.b, limits: new LimitStore(dbs.b, noAudit), now, lease });
    await (await a.reserve(scope, tokens(16))).settle(tokens(16));
    await a.reserve(scope, tokens(16));
    // A's flush writes the settled call and what its call in flight holds.
    while ((await counter(limit)).used !== 16) await new Promise((resolve) => setTimeout(resolve, 20));
    const stranded = await counter(limit);
    expect(await leaseRows(limit)).toEqual([{ outstanding: stranded.reserved, held: 16, credit: 0 }]);
    // More than the call in flight: A's spare lease.
    expect(stranded.reserved).toBeGreaterThan(16);
    killed = true;

    // While A's heartbeat is young, its lease is A's: B cannot have what it would need.
    const wanted = 800 - 16 - 16;
    await expect(b.reserve(scope, tokens(wanted))).rejects.toMatchObject({ code: 'rate_limited' });
    expect(await counter(limit)).toEqual(stranded);

    // Once it expired, B's refusal reclaims it: the spare goes back to the budget, the call A had
    // in flight stays booked as used (it may have run), and B gets all the rest.
    await new Promise((resolve) => setTimeout(resolve, lease.ttlMs + 200));
    await (await b.reserve(scope, tokens(wanted))).settle(tokens(wanted));
    await expect(b.reserve(scope, tokens(1))).rejects.toMatchObject({ code: 'rate_limited' });
    await b.drain();
    expect(await counter(limit)).toEqual({ used: 800, reserved: 0 });
    // A's tombstone: nothing owed, the call in flight kept as credit against a late settle.
    expect(await leaseRows(limit)).toEqual([{ outstanding: 0, held: 0, credit: 16 }]);
  });

  it('counts once a call that settles on a replica already declared dead, and gives back what it did not use', async () => {
    const limit = await setLimit({ metric: 'token_budget', limit: 800 });
    const lease = { ttlMs: 1_500, graceMs: 0 };
    // Replica A is cut off (paused, partitioned) while a call is in flight, then comes back.
    let cut = false;
    const refuse = () => Promise.reject(new Error('the replica is cut off'));
    const flaky: DatabaseSession = {
      query: (sql, params) => (cut ? refuse() : dbs.a.query(sql, params)),
      exec: (sql) => (cut ? refuse() : dbs.a.exec(sql)),
    };
    const a = new Ledger({ db: flaky, limits, now, lease });
    const b = new Ledger({ db: dbs.b, limits: new LimitStore(dbs.b, noAudit), now, lease });
    await (await a.reserve(scope, tokens(16))).settle(tokens(16));
    const inFlight = await a.reserve(scope, tokens(16));
    await heldWritten(limit, 16);
    cut = true;

    // A's heartbeat lapses; B's refusal reclaims A's lease and books the call in flight as used.
    await new Promise((resolve) => setTimeout(resolve, lease.ttlMs + 200));
    const rest = 800 - 16 - 16;
    await (await b.reserve(scope, tokens(rest))).settle(tokens(rest));
    await b.drain();
    expect(await counter(limit)).toEqual({ used: 800, reserved: 0 });

    // A comes back; its call settles having used 10 of the 16 it held. Without the tombstone the
    // 10 would be booked on top of the 16 already charged.
    cut = false;
    await inFlight.settle(tokens(10));
    await a.drain();
    expect(await counter(limit)).toEqual({ used: 16 + 10 + rest, reserved: 0 });
    // Released: no tombstone left, and A (under its new id) serves what is left and no more.
    expect(await leaseRows(limit)).toEqual([]);
    await (await a.reserve(scope, tokens(6))).settle(tokens(6));
    await expect(a.reserve(scope, tokens(1))).rejects.toMatchObject({ code: 'rate_limited' });
    await a.drain();
    expect(await counter(limit)).toEqual({ used: 800, reserved: 0 });
  });

  it('counts once a late settle that exceeds what the reclaim charged', async () => {
    const limit = await setLimit({ metric: 'token_budget', limit: 1_000 });
    const lease = { ttlMs: 1_500, graceMs: 0 };
    let cut = false;
    const refuse = () => Promise.reject(new Error('the replica is cut off'));
    const flaky: DatabaseSession = {
      query: (sql, params) => (cut ? refuse() : dbs.a.query(sql, params)),
      exec: (sql) => (cut ? refuse() : dbs.a.exec(sql)),
    };
    const a = new Ledger({ db: flaky, limits, now, lease });
    const b = new Ledger({ db: dbs.b, limits: new LimitStore(dbs.b, noAudit), now, lease });
    const inFlight = await a.reserve(scope, tokens(20));
    await heldWritten(limit, 20);
    cut = true;
    await new Promise((resolve) => setTimeout(resolve, lease.ttlMs + 200));
    // B needs more than is free while A's lease is out: its refusal reclaims A's lease.
    await (await b.reserve(scope, tokens(900))).settle(tokens(900));
    await b.drain();
    expect(await counter(limit)).toEqual({ used: 920, reserved: 0 });
    cut = false;
    // Used 25 of the 20 it held: the reclaim's 20 plus 5 more, not 20 + 25.
    await inFlight.settle(tokens(25));
    await a.drain();
    expect(await counter(limit)).toEqual({ used: 925, reserved: 0 });
    expect(await leaseRows(limit)).toEqual([]);
  });
}
