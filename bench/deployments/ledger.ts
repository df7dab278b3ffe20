/**
 * @module bench/deployments/ledger
 * The ledger and monitoring benchmark:
 *
 * - cost of the limits + ledger check per call (reserve before the model, settle after), p50 and
 *   p95: a project without limits (the cached "no limits" answer: no database round trip) and a
 *   project with a rate and a budget, served from this replica's leases (decision 0024: a round
 *   trip per lease, not per call; settlements written in batches) and, for comparison, with leases
 *   off (one conditional update per reservation). Target with the gate: ≤ 0.3 ms p50.
 * - budget race: 200 concurrent calls against a budget that allows 50, split over two ledgers
 *   (two replicas) on one database: successes and overrun (must be 50 and 0). On PGlite always;
 *   on PostgreSQL too (two connection pools) when KEEL_TEST_DATABASE_URL is set.
 * - the lease window (decision 0044): what one heartbeat statement costs (a replica holding leases
 *   writes one a second), and how long after a replica is cut off (its connection gone, as a
 *   killed process's is) another replica, asking every 100 ms, gets its lease back.
 * - drift detection time: English traffic, then from a moment on 60% Korean; a drift monitor
 *   (5-minute window, the hour before as baseline) runs every minute of simulated time; how long
 *   after the shift its language PSI first crosses 0.25, and what one run costs.
 *
 * Prints a table, then ONE JSON line.   npx tsx bench/deployments/ledger.ts
 */

import { noAudit } from '../../src/audit/index.js';
import { Ledger, LimitStore } from '../../src/deployments/ledger/index.js';
import { leaseDefaults } from '../../src/deployments/ledger/lease-book.js';
import { heartbeatSql, registerSql } from '../../src/deployments/ledger/lease-statements.js';
import type { DatabaseSession, DatabaseV1 } from '../../src/spec/database.js';
import { migrate } from '../../src/storage/core/migrator.js';
import { createPostgresDatabase } from '../../src/storage/postgres/index.js';
import { createTestPostgresDatabase, testPostgresUrl } from '../../src/testing/database.js';
import { createTestKeel, type TestKeel } from '../../src/testing/test-keel.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const CALLS = Number(process.env.KEEL_BENCH_CALLS ?? 2000);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function checkCost(
  ledger: Ledger,
  scope: { projectId: string; keyId: string | null; deploymentId: string | null },
) {
  const times: number[] = [];
  const reserveTimes: number[] = [];
  for (let i = 0; i < CALLS + 100; i++) {
    const started = performance.now();
    const reservation = await ledger.reserve(scope, { tokens: 20, cost: 0 });
    const reserved = performance.now();
    await reservation.settle({ tokens: 18, cost: 0 });
    if (i >= 100) {
      // after a warm-up
      times.push(performance.now() - started);
      reserveTimes.push(reserved - started);
    }
  }
  return {
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    reserveP50: quantile(reserveTimes, 0.5),
  };
}

async function race(dbA: DatabaseV1, dbB: DatabaseV1, projectId: string) {
  const limitsA = new LimitStore(dbA, noAudit);
  const limit = await limitsA.set(projectId, {
    scopeType: 'project',
    scopeId: projectId,
    metric: 'token_budget',
    limit: 50 * 16,
    period: 'total',
  });
  const ledgers = [
    new Ledger({ db: dbA, limits: limitsA }),
    new Ledger({ db: dbB, limits: new LimitStore(dbB, noAudit) }),
  ];
  const scope = { projectId, keyId: null, deploymentId: null };
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: 200 }, async (_, index) => {
      const reservation = await ledgers[index % 2]!.reserve(scope, { tokens: 16, cost: 0 });
      await new Promise((resolve) => setTimeout(resolve, 5)); // the model call
      await reservation.settle({ tokens: 16, cost: 0 });
    }),
  );
  const elapsedMs = performance.now() - started;
  await Promise.all(ledgers.map((ledger) => ledger.drain()));
  const { rows } = await dbA.query<{ used: number }>('SELECT used FROM ledger_counters WHERE limit_id = $1', [
    limit.id,
  ]);
  await limitsA.remove(projectId, limit.id);
  const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
  return { succeeded, overrun: Math.max(0, Number(rows[0]?.used ?? 0) - 50 * 16), elapsedMs };
}

/** One heartbeat statement (a single-row update), p50 and p95 over 300 beats. */
async function heartbeatCost(db: DatabaseV1) {
  const id = `rpl_bench_${process.pid}`;
  await db.query(registerSql, [id, leaseDefaults.ttlMs]);
  const times: number[] = [];
  for (let i = 0; i < 320; i++) {
    const started = performance.now();
    await db.query(heartbeatSql, [id, leaseDefaults.ttlMs]);
    if (i >= 20) times.push(performance.now() - started);
  }
  await db.query('DELETE FROM ledger_replicas WHERE id = $1', [id]);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

/**
 * Replica A takes a lease and holds a call, then its connection is cut (no heartbeat, no flush):
 * how long until replica B, asking every 100 ms for what A's lease keeps out of reach, gets it.
 */
async function leaseWindow(dbA: DatabaseV1, dbB: DatabaseV1, projectId: string) {
  const limitsA = new LimitStore(dbA, noAudit);
  // A fresh lifetime budget (a limit set before on the same scope and metric would keep its usage).
  for (const old of await limitsA.list(projectId)) await limitsA.remove(projectId, old.id);
  const limit = await limitsA.set(projectId, {
    scopeType: 'project',
    scopeId: projectId,
    metric: 'token_budget',
    limit: 800,
    period: 'total',
  });
  let cut = false;
  const refuse = () => Promise.reject(new Error('cut off'));
  const doomed: DatabaseSession = {
    query: (sql, params) => (cut ? refuse() : dbA.query(sql, params)),
    exec: (sql) => (cut ? refuse() : dbA.exec(sql)),
  };
  const a = new Ledger({ db: doomed, limits: limitsA });
  const b = new Ledger({ db: dbB, limits: new LimitStore(dbB, noAudit) });
  const scope = { projectId, keyId: null, deploymentId: null };
  await (await a.reserve(scope, { tokens: 16, cost: 0 })).settle({ tokens: 16, cost: 0 });
  await a.reserve(scope, { tokens: 16, cost: 0 });
  for (;;) {
    const { rows } = await dbA.query<{ used: number }>(
      'SELECT used FROM ledger_counters WHERE limit_id = $1',
      [limit.id],
    );
    if (Number(rows[0]?.used) === 16) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  cut = true;
  const cutAt = performance.now();
  for (;;) {
    const granted = await b.reserve(scope, { tokens: 800 - 32, cost: 0 }).catch(() => undefined);
    if (granted) {
      const backAfterMs = performance.now() - cutAt;
      await granted.settle({ tokens: 800 - 32, cost: 0 });
      await b.drain();
      await limitsA.remove(projectId, limit.id);
      return { backAfterMs };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function driftDetection(keel: TestKeel, projectId: string) {
  const requestLog = keel.services.requestLog;
  const english = [
    'what is the weather like today',
    'summarise this contract for me',
    'how do I reset my password',
  ];
  const korean = ['오늘 서울 날씨 어때요', '이 계약서를 요약해 주세요', '비밀번호는 어떻게 재설정하나요'];
  const shiftAt = Date.now() - 30 * 60_000;
  const start = shiftAt - 60 * 60_000;
  // One call every 2 simulated seconds; from the shift on, 60% Korean.
  let n = 0;
  for (let at = start; at < shiftAt + 30 * 60_000; at += 2000, n++) {
    const shifted = at >= shiftAt && n % 5 < 3;
    requestLog.record({
      projectId,
      deploymentId: 'dep_bench',
      keyId: null,
      requestId: null,
      modelId: 'echo:reverse',
      endpoint: 'bench',
      atMs: at,
      sampleRate: 1,
      status: 200,
      latencyMs: 5,
      inputTokens: 8,
      outputTokens: 8,
      cost: 0,
      input: shifted ? korean[n % 3]! : english[n % 3]!,
      output: 'ok',
      finishReason: 'eos_token',
      attributes: {},
    });
  }
  await requestLog.flush();
  const { monitor } = await keel.services.monitoring.monitors.create(projectId, null, {
    name: 'bench drift',
    kind: 'drift',
    deploymentId: 'dep_bench',
    intervalSeconds: 60,
    config: {
      windowSeconds: 300,
      baselineFrom: new Date(start).toISOString(),
      baselineTo: new Date(shiftAt).toISOString(),
    },
    thresholds: [{ metric: 'language_psi', operator: '>', value: 0.25, severity: 'warning' }],
  });
  const runTimes: number[] = [];
  for (let minute = 1; minute <= 30; minute++) {
    const windowEnd = new Date(shiftAt + minute * 60_000);
    const started = performance.now();
    const run = await keel.services.monitoring.run(projectId, monitor.id, windowEnd);
    runTimes.push(performance.now() - started);
    if (run.alerts.length)
      return {
        detectedAfterSeconds: minute * 60,
        languagePsi: run.result.metrics.language_psi as number,
        runMsP50: quantile(runTimes, 0.5),
      };
  }
  return { detectedAfterSeconds: null, languagePsi: null, runMsP50: quantile(runTimes, 0.5) };
}

async function main() {
  const keel = await createTestKeel();
  const projectId = keel.services.installation.defaultProjectId;
  const { ledger, limits } = keel.services;
  const scope = { projectId, keyId: null, deploymentId: null };

  const none = await checkCost(ledger, scope);
  await limits.set(projectId, {
    scopeType: 'project',
    scopeId: projectId,
    metric: 'requests_per_minute',
    limit: 1e9,
  });
  await limits.set(projectId, {
    scopeType: 'project',
    scopeId: projectId,
    metric: 'token_budget',
    limit: 1e12,
  });
  const limited = await checkCost(ledger, scope);
  await ledger.drain();
  const unleased = await checkCost(
    new Ledger({ db: keel.services.db, limits, lease: { fraction: 0 } }),
    scope,
  );
  for (const limit of await limits.list(projectId)) await limits.remove(projectId, limit.id);

  const pgliteRace = await race(keel.services.db, keel.services.db, projectId);
  const pgliteBeat = await heartbeatCost(keel.services.db);
  const pgliteWindow = await leaseWindow(keel.services.db, keel.services.db, projectId);
  let postgresBeat: Awaited<ReturnType<typeof heartbeatCost>> | null = null;
  let postgresWindow: Awaited<ReturnType<typeof leaseWindow>> | null = null;
  let postgresRace: Awaited<ReturnType<typeof race>> | null = null;
  let postgresCheck: Awaited<ReturnType<typeof checkCost>> | null = null;
  let postgresUnleased: Awaited<ReturnType<typeof checkCost>> | null = null;
  if (testPostgresUrl) {
    const { db, url, drop } = await createTestPostgresDatabase();
    await migrate(db);
    const second = await createPostgresDatabase({ connectionString: url, max: 4 });
    await db
      .query("INSERT INTO organizations (id, name) VALUES ('org_bench', 'bench') ON CONFLICT DO NOTHING")
      .catch(() => undefined);
    const project = await db
      .query<{ id: string }>(
        "INSERT INTO projects (id, organization_id, name) VALUES ('prj_bench', 'org_bench', 'bench') RETURNING id",
      )
      .catch(() => null);
    if (project) {
      postgresRace = await race(db, second, 'prj_bench');
      const pgLimits = new LimitStore(db, noAudit);
      for (const metric of ['requests_per_minute', 'token_budget'] as const)
        await pgLimits.set('prj_bench', { scopeType: 'project', scopeId: 'prj_bench', metric, limit: 1e12 });
      const pgScope = { projectId: 'prj_bench', keyId: null, deploymentId: null };
      const pgLedger = new Ledger({ db, limits: pgLimits });
      postgresCheck = await checkCost(pgLedger, pgScope);
      await pgLedger.drain();
      const pgUnleased = new Ledger({ db, limits: pgLimits, lease: { fraction: 0 } });
      postgresUnleased = await checkCost(pgUnleased, pgScope);
      await pgUnleased.drain();
      postgresBeat = await heartbeatCost(db);
      postgresWindow = await leaseWindow(db, second, 'prj_bench');
    }
    await second.close();
    await drop();
  }
  const drift = await driftDetection(keel, projectId);
  await keel.close();

  const rows: [string, string, string][] = [
    [
      'check, no limits (p50 / p95)',
      `${none.p50.toFixed(4)} / ${none.p95.toFixed(4)} ms`,
      'target ≤ 0.3 ms p50',
    ],
    [
      'check, rate + budget, PGlite, leases (p50 / p95)',
      `${limited.p50.toFixed(4)} / ${limited.p95.toFixed(4)} ms`,
      `reserve + settle; the reserve alone (on the path) p50 ${limited.reserveP50.toFixed(4)} ms`,
    ],
    [
      'check, rate + budget, PGlite, leases off',
      `${unleased.p50.toFixed(3)} / ${unleased.p95.toFixed(3)} ms`,
      `a round trip per reservation; reserve alone p50 ${unleased.reserveP50.toFixed(3)} ms`,
    ],
    [
      'check, rate + budget, PostgreSQL, leases',
      postgresCheck ? `${postgresCheck.p50.toFixed(4)} / ${postgresCheck.p95.toFixed(4)} ms` : 'skipped',
      postgresCheck
        ? `reserve alone p50 ${postgresCheck.reserveP50.toFixed(4)} ms (local server)`
        : 'KEEL_TEST_DATABASE_URL not set',
    ],
    [
      'check, rate + budget, PostgreSQL, leases off',
      postgresUnleased
        ? `${postgresUnleased.p50.toFixed(3)} / ${postgresUnleased.p95.toFixed(3)} ms`
        : 'skipped',
      postgresUnleased
        ? `reserve alone p50 ${postgresUnleased.reserveP50.toFixed(3)} ms (local server)`
        : 'KEEL_TEST_DATABASE_URL not set',
    ],
    [
      'race 200 vs budget 50, PGlite, 2 ledgers',
      `${pgliteRace.succeeded} ok, overrun ${pgliteRace.overrun}`,
      `${pgliteRace.elapsedMs.toFixed(0)} ms`,
    ],
    [
      'race 200 vs budget 50, PostgreSQL, 2 pools',
      postgresRace ? `${postgresRace.succeeded} ok, overrun ${postgresRace.overrun}` : 'skipped',
      postgresRace ? `${postgresRace.elapsedMs.toFixed(0)} ms` : 'KEEL_TEST_DATABASE_URL not set',
    ],
    [
      'heartbeat statement, PGlite / PostgreSQL (p50)',
      `${pgliteBeat.p50.toFixed(3)} / ${postgresBeat ? postgresBeat.p50.toFixed(3) : '-'} ms`,
      `one a second per replica holding leases (ttl ${leaseDefaults.ttlMs} ms, grace ${leaseDefaults.graceMs} ms)`,
    ],
    [
      'cut-off replica: lease back after, PGlite / PostgreSQL',
      `${(pgliteWindow.backAfterMs / 1000).toFixed(2)} / ${postgresWindow ? (postgresWindow.backAfterMs / 1000).toFixed(2) : '-'} s`,
      `bound ttl + grace from its last beat: ${(leaseDefaults.ttlMs + leaseDefaults.graceMs) / 1000} s`,
    ],
    [
      'drift: language shift detected after',
      drift.detectedAfterSeconds === null ? 'not detected' : `${drift.detectedAfterSeconds} s (simulated)`,
      `PSI ${drift.languagePsi ?? '-'}; one run ${drift.runMsP50.toFixed(1)} ms`,
    ],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  for (const [name, value, note] of rows) log(`${name.padEnd(width)}  ${value.padEnd(28)}  ${note}`);
  log(
    JSON.stringify({
      bench: 'deployments-ledger',
      calls: CALLS,
      check_no_limits_ms: { p50: none.p50, p95: none.p95 },
      check_limited_pglite_ms: { p50: limited.p50, p95: limited.p95, reserve_p50: limited.reserveP50 },
      check_limited_pglite_unleased_ms: {
        p50: unleased.p50,
        p95: unleased.p95,
        reserve_p50: unleased.reserveP50,
      },
      race_pglite: pgliteRace,
      race_postgres: postgresRace,
      check_limited_postgres_ms: postgresCheck
        ? { p50: postgresCheck.p50, p95: postgresCheck.p95, reserve_p50: postgresCheck.reserveP50 }
        : null,
      check_limited_postgres_unleased_ms: postgresUnleased
        ? { p50: postgresUnleased.p50, p95: postgresUnleased.p95, reserve_p50: postgresUnleased.reserveP50 }
        : null,
      heartbeat_ms: { pglite: pgliteBeat, postgres: postgresBeat },
      lease_back_after_cut_ms: {
        pglite: pgliteWindow.backAfterMs,
        postgres: postgresWindow?.backAfterMs ?? null,
        ttl_ms: leaseDefaults.ttlMs,
        grace_ms: leaseDefaults.graceMs,
      },
      drift,
    }),
  );
}

await main();
