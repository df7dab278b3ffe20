/**
 * bench/fuzz — the long run of the API fuzz suite (test/fuzz) and the isolation matrix:
 *   - every operation of `/openapi.json` × every malformed-request class × `--runs` cases
 *     (default 17: over 10,000 requests), judged as in CI: no 5xx, a JSON error in the route
 *     family's dialect, no stall of a concurrent `/health` over 100 ms (confirmed by replay), no
 *     planted secret or personal data in the log;
 *   - the isolation matrix: every operation × every principal that must be refused;
 *   - the anchor: the same operations' valid requests, timed in the same run, so the fuzz cost
 *     reads as a ratio (malformed requests should be refused faster than valid ones are served).
 * Prints a table and one JSON line. Targets: 0 5xx in ≥ 10,000 requests; 0 wrongly allowed.
 *
 * Usage: npx tsx bench/fuzz/run.ts [--runs 17] [--seed 20240501]
 */
import { createFuzzKeel, TEST_ADMIN_KEY } from '../../test/fuzz/support/fuzz-keel.js';
import { runFuzz, summarise } from '../../test/fuzz/support/fuzz-run.js';
import { runIsolationMatrix } from '../../test/fuzz/support/isolation-matrix.js';
import { loadOperations } from '../../test/fuzz/support/load-operations.js';
import { send } from '../../test/fuzz/support/send.js';
import { validRequest } from '../../test/fuzz/support/valid-requests.js';
import { buildWorld } from '../../test/fuzz/support/world.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

const runs = flag('runs', 17);
const seed = flag('seed', 20_240_501);

const keel = await createFuzzKeel();
try {
  const world = await buildWorld(keel.app, keel.services);
  const operations = await loadOperations(keel);

  // Anchor: one valid request per non-deleting operation.
  const anchorStarted = performance.now();
  let anchorRequests = 0;
  for (const op of operations.filter((o) => o.method !== 'DELETE')) {
    await send(keel.app, { ...validRequest(op, world), key: TEST_ADMIN_KEY });
    anchorRequests++;
  }
  const anchorMsPerRequest = (performance.now() - anchorStarted) / anchorRequests;

  const matrix = await runIsolationMatrix(keel, world, operations);

  const started = performance.now();
  let lastPrint = 0;
  const fuzz = await runFuzz(keel, world, operations, {
    seed,
    runs,
    onProgress(done, total) {
      if (performance.now() - lastPrint > 10_000) {
        lastPrint = performance.now();
        process.stderr.write(`fuzz: ${done}/${total}\n`);
      }
    },
  });
  const fuzzMsPerRequest = (performance.now() - started) / fuzz.requests;

  const rows = operations.map((op) => ({
    operation: op.key,
    tried: fuzz.perOperation.get(op.key)?.tried ?? 0,
    failures: fuzz.perOperation.get(op.key)?.failures ?? 0,
    matrix_tried: matrix.perOperation.get(op.key)?.tried ?? 0,
    wrongly_allowed: matrix.perOperation.get(op.key)?.wronglyAllowed ?? 0,
  }));
  console.log('\nPer operation (fuzz requests, failures; isolation matrix tried, wrongly allowed)');
  console.table(rows);
  const byClass = summarise(fuzz.failures);
  console.log('\nFailures by class (failure/fuzz class → operations)');
  console.table(
    Object.entries(byClass).map(([name, ops]) => ({
      class: name,
      count: Object.values(ops).reduce((a, b) => a + b, 0),
      operations: Object.keys(ops).length,
      example: fuzz.failures.find((f) => `${f.failure}/${f.fuzzClass}` === name)?.request.slice(0, 100),
    })),
  );
  const serverErrors = fuzz.failures.filter((f) => f.failure === 'server-error').length;
  console.log(
    `\n${fuzz.requests} fuzz requests (${runs} per class per operation, seed ${seed}): ${serverErrors} 5xx, ` +
      `${fuzz.failures.length} failures; /health max ${Math.round(fuzz.healthMaxMs)} ms over ${fuzz.healthSamples} probes.`,
  );
  console.log(
    `Isolation matrix: ${matrix.tried} tried, ${matrix.wronglyAllowed.length} wrongly allowed, ` +
      `${matrix.unexpectedStatus.length} refused with an unexpected status. Fixtures missing: ${world.missing.length}.`,
  );
  console.log(
    `Anchor: valid requests ${anchorMsPerRequest.toFixed(2)} ms each; malformed ${fuzzMsPerRequest.toFixed(2)} ms each ` +
      `(ratio ${(fuzzMsPerRequest / anchorMsPerRequest).toFixed(2)}).`,
  );
  for (const finding of matrix.wronglyAllowed)
    console.log(
      `WRONGLY ALLOWED ${finding.operation} as ${finding.principal}: ${finding.status} ${finding.detail}`,
    );
  console.log(
    JSON.stringify({
      bench: 'fuzz',
      seed,
      runs,
      operations: operations.length,
      requests: fuzz.requests,
      server_errors: serverErrors,
      failures: fuzz.failures.length,
      failures_by_class: Object.fromEntries(
        Object.entries(byClass).map(([name, ops]) => [name, Object.values(ops).reduce((a, b) => a + b, 0)]),
      ),
      health_max_ms: Math.round(fuzz.healthMaxMs),
      matrix_tried: matrix.tried,
      matrix_wrongly_allowed: matrix.wronglyAllowed.length,
      matrix_unexpected_status: matrix.unexpectedStatus.length,
      fixtures_missing: world.missing.length,
      anchor_ms_per_valid_request: Number(anchorMsPerRequest.toFixed(3)),
      ms_per_fuzz_request: Number(fuzzMsPerRequest.toFixed(3)),
      fuzz_to_anchor_ratio: Number((fuzzMsPerRequest / anchorMsPerRequest).toFixed(3)),
    }),
  );
} finally {
  await keel.close();
}
