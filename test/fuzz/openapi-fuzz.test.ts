import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzKeel, type FuzzKeel } from './support/fuzz-keel.js';
import { type FuzzReport, runFuzz } from './support/fuzz-run.js';
import { loadOperations } from './support/load-operations.js';
import type { Operation } from './support/openapi-operations.js';
import { buildWorld, type World } from './support/world.js';

// Fixed seed, bounded count: one case per class per operation (about a thousand requests) keeps
// the suite well under a minute on two cores. `npx tsx bench/fuzz/run.ts --runs 12` runs longer.
const SEED = 20_240_501;
const RUNS = 1;

let keel: FuzzKeel;
let world: World;
let operations: Operation[];
let report: FuzzReport;

beforeAll(async () => {
  keel = await createFuzzKeel();
  world = await buildWorld(keel.app, keel.services);
  operations = await loadOperations(keel);
  report = await runFuzz(keel, world, operations, { seed: SEED, runs: RUNS });
}, 240_000);
afterAll(async () => {
  await keel?.close();
});

const lines = (failure: string) =>
  report.failures
    .filter((f) => f.failure === failure)
    .map((f) => `${f.operation} [${f.fuzzClass}] ${f.status}: ${f.detail} <- ${f.request}`);

describe('fuzzing every operation of /openapi.json with malformed requests', () => {
  it('tries every operation', () => {
    for (const op of operations) expect(report.perOperation.get(op.key)?.tried, op.key).toBeGreaterThan(0);
    expect(report.requests).toBeGreaterThan(operations.length * 3);
  });

  it('never answers 5xx and never throws out of the app', () => {
    expect([...lines('server-error'), ...lines('threw')]).toEqual([]);
  });

  it('answers every error as JSON in the route family’s dialect with a stable code', () => {
    expect([...lines('not-json'), ...lines('error-shape')]).toEqual([]);
  });

  it('does not stall a concurrent /health for more than 100 ms', () => {
    expect(report.healthSamples).toBeGreaterThan(0);
    expect(lines('stall')).toEqual([]);
  });

  it('writes no planted secret or personal data to the log', () => {
    expect(lines('secret-in-log')).toEqual([]);
  });
});
