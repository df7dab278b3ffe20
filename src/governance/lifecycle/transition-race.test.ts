/**
 * Two replicas (two governance services on one database) move the same asset and decide on it at
 * once: exactly one move wins, one approver's decision is recorded once. PGlite always; PostgreSQL
 * too when KEEL_TEST_DATABASE_URL is set (real concurrent connections, row locks).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { noAudit } from '../../audit/index.js';
import type { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { migrate } from '../../storage/core/migrator.js';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../../testing/database.js';
import { GovernanceService } from '../governance-service.js';
import type { GovCaller } from '../inventory/rows.js';

async function race(db: DatabaseV1): Promise<void> {
  await db.query("INSERT INTO organizations (id, name) VALUES ('org_race', 'race') ON CONFLICT DO NOTHING");
  await db.query(
    "INSERT INTO projects (id, organization_id, name) VALUES ('prj_race', 'org_race', 'race') ON CONFLICT DO NOTHING",
  );
  const risk = {
    latest: async () => ({
      tier: 'minimal' as const,
      prohibited: false,
      koreaHighImpact: false,
      completedAt: new Date(),
      version: 1,
      scorecard: {},
    }),
  };
  const replicas = [0, 1].map(() => new GovernanceService({ db, audit: noAudit, risk }));
  const editor: GovCaller = { projectId: 'prj_race', actor: 'editor', role: 'editor' };
  const validator: GovCaller = { projectId: 'prj_race', actor: 'validator', role: 'validator' };
  const admin: GovCaller = { projectId: 'prj_race', actor: 'admin', role: 'admin' };
  const [a, b] = replicas as [GovernanceService, GovernanceService];
  const useCase = await a.inventory.createUseCase(editor, { name: 'race', purpose: '', tags: [] });
  const outcomes = async (work: Promise<unknown>[]) =>
    (await Promise.allSettled(work)).map((result) =>
      result.status === 'fulfilled'
        ? 'ok'
        : ((result.reason as KeelError).issues?.[0]?.code ?? String(result.reason)),
    );

  for (let round = 0; round < 5; round++) {
    const asset = await a.inventory.trackAsset(
      editor,
      { use_case_id: useCase.id, kind: 'model', ref: `model-${round}` },
      { type: 'model', id: `model-${round}` },
    );
    // Unconditional moves: the loser finds the asset already moved (out of order).
    const plain = await outcomes([
      a.transitions.transition(editor, asset.id, { to: 'develop', production: true }),
      b.transitions.transition(editor, asset.id, { to: 'develop', production: true }),
    ]);
    expect(plain.sort()).toEqual(['ok', 'transition_out_of_order']);
    // Conditional moves on the same row version: the loser is stale.
    const seen = await a.inventory.asset('prj_race', asset.id);
    const conditional = await outcomes([
      a.transitions.transition(editor, asset.id, {
        to: 'validate',
        expected_row_version: seen.row_version,
        production: true,
      }),
      b.transitions.transition(admin, asset.id, {
        to: 'retire',
        expected_row_version: seen.row_version,
        production: true,
      }),
    ]);
    expect(conditional.filter((outcome) => outcome === 'ok')).toHaveLength(1);
    expect(conditional.filter((outcome) => outcome !== 'ok')[0]).toBe('stale_row_version');
  }

  // One approver deciding twice at once on two replicas: one decision stands.
  await a.inventory.trackAsset(
    editor,
    { use_case_id: useCase.id, kind: 'evaluation_run', ref: 'race-eval', results: { metrics: {} } },
    null,
  );
  const asset = await a.inventory.trackAsset(
    editor,
    { use_case_id: useCase.id, kind: 'dataset', ref: 'race-set' },
    { type: 'dataset', id: 'race-set' },
  );
  await a.transitions.transition(editor, asset.id, { to: 'develop', production: true });
  await a.transitions.transition(editor, asset.id, { to: 'validate', production: true });
  await a.transitions.report(validator, asset.id, { summary: 'ok', findings: [], passed: true });
  await a.transitions.transition(validator, asset.id, { to: 'approve', production: true });
  const decisions = await outcomes([
    a.approvals.decide(validator, { asset_id: asset.id, decision: 'go', reasons: 'one' }),
    b.approvals.decide(validator, { asset_id: asset.id, decision: 'go', reasons: 'two' }),
  ]);
  expect(decisions.sort()).toEqual(['duplicate_approver', 'ok']);
  expect(await a.approvals.list('prj_race', { asset_id: asset.id, view: 'decisions' })).toHaveLength(1);

  // Both replicas' change feeds see the same audit record: the change applies once.
  const change = {
    projectId: 'prj_race',
    source: { type: 'dataset', id: 'race-set' },
    version: null,
    actor: 'editor',
    cause: 'dataset.version.create',
    seq: 1_000_000,
  };
  const applied = await Promise.all([a.applyChange(change), b.applyChange(change)]);
  expect(applied.sort()).toEqual([0, 1]);
  expect(await a.inventory.asset('prj_race', asset.id)).toMatchObject({ revision: 2, stage: 'validate' });

  // A retired asset stays governed: it may not serve.
  await a.transitions.transition(admin, asset.id, { to: 'retire', production: true });
  expect(await a.gate.check('prj_race', { kind: 'dataset', ref: 'race-set' })).toMatchObject({
    tracked: true,
    allowed: false,
    missing: [{ code: 'asset_retired' }],
  });
}

describe('racing governance replicas', () => {
  it('PGlite: exactly one of two concurrent moves wins; one approver counts once', {
    timeout: 120_000,
  }, async () => {
    const db = await createTestDatabase();
    try {
      await race(db);
    } finally {
      await db.close();
    }
  });

  const postgres = testPostgresUrl ? it : it.skip;
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  postgres('PostgreSQL: the same, on concurrent connections', { timeout: 120_000 }, async () => {
    const server = await createTestPostgresDatabase();
    cleanups.push(server.drop);
    await migrate(server.db);
    await race(server.db);
  });
});
