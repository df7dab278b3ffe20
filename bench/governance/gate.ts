/**
 * @module bench/governance/gate
 * The lifecycle gate on the serving path: what `governance.gate.check(projectId, asset)` adds to a
 * served request. Cached (the answer every request after the first gets), and right after an
 * invalidation (a governance change drops the project's answers: the next check reads the
 * database). The anchor is a plain `Map.get` of a prepared answer: the least a cache can cost.
 * 1,000 tracked assets (half approved and deployed) plus untracked references, on PGlite.
 * Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/governance/gate.ts      (KEEL_BENCH_GATE_CALLS=<n> for the cached calls, default 200,000)
 */
import { createTestKeel } from '../../src/testing/test-keel.js';

const ASSETS = 1_000;
const CACHED_CALLS = Number(process.env.KEEL_BENCH_GATE_CALLS ?? 200_000);
const COLD_CALLS = 2_000;
const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]) {
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: samples.length };
}

export interface GateFigures {
  cached: { p50: number; p99: number; n: number };
  invalidated: { p50: number; p99: number; n: number };
  anchor: { p50: number; p99: number; n: number };
}

/** Measures the gate; milliseconds per check. */
export async function measureGate(): Promise<GateFigures> {
  const keel = await createTestKeel();
  try {
    const { governance, installation } = keel.services;
    const projectId = installation.defaultProjectId;
    const caller = { projectId, actor: 'bench', role: 'admin' as const };
    const useCase = await governance.inventory.createUseCase(caller, {
      name: 'bench use case',
      purpose: 'gate latency',
      tags: [],
    });
    for (let index = 0; index < ASSETS; index++) {
      await governance.inventory.trackAsset(
        caller,
        { use_case_id: useCase.id, kind: 'model', ref: `model-${index}` },
        { type: 'model', id: `model-${index}` },
      );
    }
    // Half of them approved and deployed (set directly: the bench measures the check, not the workflow).
    await keel.services.db.query(
      `UPDATE gov_assets SET stage = 'deploy', approved_revision = revision
       WHERE project_id = $1 AND kind = 'model' AND (substring(ref from 7))::int % 2 = 0`,
      [projectId],
    );
    governance.gate.invalidate();
    const refs = Array.from({ length: ASSETS * 2 }, (_, index) => ({
      kind: 'model',
      ref: index < ASSETS ? `model-${index}` : `untracked-${index}`,
    }));
    // Warm the cache once for every reference.
    for (const ref of refs) await governance.gate.check(projectId, ref);

    const cached: number[] = [];
    let allowed = 0;
    for (let call = 0; call < CACHED_CALLS; call++) {
      const ref = refs[call % refs.length]!;
      const started = performance.now();
      const answer = await governance.gate.check(projectId, ref);
      cached.push(performance.now() - started);
      if (answer.allowed) allowed++;
    }

    const invalidated: number[] = [];
    for (let call = 0; call < COLD_CALLS; call++) {
      governance.gate.invalidate(projectId);
      const ref = refs[call % ASSETS]!;
      const started = performance.now();
      await governance.gate.check(projectId, ref);
      invalidated.push(performance.now() - started);
    }

    const prepared = new Map(refs.map((ref) => [`${ref.kind}\u0000${ref.ref}`, { allowed: true }]));
    const anchor: number[] = [];
    for (let call = 0; call < CACHED_CALLS; call++) {
      const ref = refs[call % refs.length]!;
      const started = performance.now();
      await prepared.get(`${ref.kind}\u0000${ref.ref}`);
      anchor.push(performance.now() - started);
    }
    if (allowed === 0) throw new Error('no check was allowed: the bench set-up is wrong');
    return { cached: summary(cached), invalidated: summary(invalidated), anchor: summary(anchor) };
  } finally {
    await keel.close();
  }
}

async function main(): Promise<void> {
  const figures = await measureGate();
  const ms = (value: number) => value.toFixed(4);
  log('| gate check | p50 ms | p99 ms | calls | target |');
  log('|---|---|---|---|---|');
  log(
    `| cached | ${ms(figures.cached.p50)} | ${ms(figures.cached.p99)} | ${figures.cached.n} | ≤ 0.05 ms p50 |`,
  );
  log(
    `| after invalidation (database read) | ${ms(figures.invalidated.p50)} | ${ms(figures.invalidated.p99)} | ${figures.invalidated.n} | |`,
  );
  log(
    `| Map.get of a prepared answer (anchor) | ${ms(figures.anchor.p50)} | ${ms(figures.anchor.p99)} | ${figures.anchor.n} | |`,
  );
  log(
    JSON.stringify({
      bench: 'governance.gate',
      engine: 'pglite',
      assets: ASSETS,
      cached_p50_ms: Number(figures.cached.p50.toFixed(5)),
      cached_p99_ms: Number(figures.cached.p99.toFixed(5)),
      invalidated_p50_ms: Number(figures.invalidated.p50.toFixed(4)),
      invalidated_p99_ms: Number(figures.invalidated.p99.toFixed(4)),
      anchor_p50_ms: Number(figures.anchor.p50.toFixed(5)),
      target_p50_ms: 0.05,
      met: figures.cached.p50 <= 0.05,
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
