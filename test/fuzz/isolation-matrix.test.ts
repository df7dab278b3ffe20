import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzKeel, type FuzzKeel } from './support/fuzz-keel.js';
import { runIsolationMatrix } from './support/isolation-matrix.js';
import { loadOperations } from './support/load-operations.js';
import type { Operation } from './support/openapi-operations.js';
import { requirements } from './support/permissions.js';
import { buildWorld, type World } from './support/world.js';

let keel: FuzzKeel;
let world: World;
let operations: Operation[];

beforeAll(async () => {
  keel = await createFuzzKeel();
  world = await buildWorld(keel.app, keel.services);
  operations = await loadOperations(keel);
}, 240_000);
afterAll(async () => {
  await keel?.close();
}, 60_000);

describe('isolation matrix', () => {
  it('builds every fixture of project B (else the matrix asks about objects that do not exist)', () => {
    expect(world.missing).toEqual([]);
  });

  it('declares what every documented operation requires', () => {
    const undeclared = operations.map((op) => op.key).filter((key) => !requirements[key]);
    expect(undeclared).toEqual([]);
  });

  it('allows nothing to a missing, wrong, revoked or expired key, another project or a role without the permission', async () => {
    const report = await runIsolationMatrix(keel, world, operations);
    expect(report.tried).toBeGreaterThan(operations.length * 5);
    const lines = (findings: typeof report.wronglyAllowed) =>
      findings.map((f) => `${f.operation} as ${f.principal}: ${f.status} ${f.detail} <- ${f.request}`);
    expect(lines(report.wronglyAllowed)).toEqual([]);
    expect(lines(report.unexpectedStatus)).toEqual([]);
  }, 240_000);
});
