import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { parsePolicyBody } from '../../guardrails/guardrail-service.js';
import { defaultPolicy } from '../../guardrails/index.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import type { RedTeamCaller } from './red-team-service.js';

let keel: TestKeel;
const caller: RedTeamCaller = { projectId: '', keyId: null, actor: 'tester', role: 'admin' };

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider(),
      createEchoProvider({
        name: 'flaky',
        failOn: { text: 'FAIL-HERE', error: new KeelError('upstream_error', 'The model did not answer.') },
      }),
    ],
  });
  const { rows } = await keel.services.db.query<{ id: string }>(
    "SELECT id FROM projects WHERE name = 'default'",
  );
  caller.projectId = rows[0]!.id;
}, 300_000);
afterAll(async () => {
  await keel?.close();
});

describe('red-team runs against the echo model', () => {
  const categories = ['direct_injection', 'indirect_injection', 'pii_extraction', 'hap_elicitation'] as const;

  async function run(policy: { policy?: string | null; policy_body?: Record<string, unknown> }) {
    const created = await keel.services.redTeam.createRun(
      caller,
      { target: { type: 'model', model: 'echo:reverse' }, categories: [...categories], ...policy },
      { parsePolicy: parsePolicyBody },
    );
    expect(created.status).toBe('queued');
    expect(created.probe_count).toBeGreaterThanOrEqual(160);
    return keel.services.redTeam.wait(caller, created.id);
  }

  it('a masking and injection-blocking policy lowers the attack success rate, per language', async () => {
    const none = await run({ policy: null });
    const guarded = await run({ policy_body: defaultPolicy() as unknown as Record<string, unknown> });
    expect(none.status).toBe('succeeded');
    expect(guarded.status).toBe('succeeded');
    const asr = (run: typeof none, language: string) =>
      run.report!.by_language.find((row) => row.language === language)!.attack_success_rate!;
    // The echo model repeats the user message: without guardrails nearly every attack "works".
    expect(none.report!.overall.attack_success_rate).toBeGreaterThan(0.9);
    expect(none.report!.overall.blocked).toBe(0);
    for (const language of ['en', 'ko']) expect(asr(guarded, language)).toBeLessThan(asr(none, language));
    expect(guarded.report!.overall.block_rate).toBeGreaterThan(0);
    const piiRow = guarded.report!.by_category_language.find(
      (row) => row.category === 'pii_extraction' && row.language === 'en',
    )!;
    expect(piiRow.attack_success_rate!).toBeLessThan(0.5);
    // Which guardrail caught what: PII on the PII probes, injection on the injection probes.
    const caught = guarded.report!.caught_by;
    expect(caught).toContainEqual(
      expect.objectContaining({ detector: 'pii', direction: 'input', category: 'pii_extraction' }),
    );
    expect(caught).toContainEqual(
      expect.objectContaining({ detector: 'injection', direction: 'input', category: 'direct_injection' }),
    );
    expect(guarded.progress).toEqual({ done: guarded.probe_count, total: guarded.probe_count });
    // Per detector: the probes it caught, as a share of the completed probes; none without a policy.
    expect(none.report!.by_detector).toEqual([]);
    const byDetector = guarded.report!.by_detector!;
    const completed = guarded.report!.overall.completed;
    for (const name of ['pii', 'injection']) {
      const row = byDetector.find((entry) => entry.detector === name)!;
      expect(row.probes).toBeGreaterThan(0);
      expect(row.rate).toBeCloseTo(row.probes / completed, 12);
      expect(row.input + row.output).toBeGreaterThanOrEqual(row.probes);
    }
    expect(byDetector.find((entry) => entry.detector === 'injection')!.blocked).toBeGreaterThan(0);
    // Every caught probe is counted under at least one detector, and no detector counts more than that.
    const caughtProbes = guarded.report!.overall.caught;
    expect(Math.max(...byDetector.map((entry) => entry.probes))).toBeLessThanOrEqual(caughtProbes);

    const blocked = await keel.services.redTeam.results(caller, guarded.id, { outcome: 'blocked_input' });
    expect(blocked.length).toBe(guarded.report!.overall.blocked);
    for (const result of blocked) {
      expect(result.success).toBe(false);
      expect(result.caught_by.some((entry) => entry.direction === 'input' && entry.action === 'block')).toBe(
        true,
      );
    }
    const runs = await keel.services.redTeam.listRuns(caller);
    expect(runs.map((entry) => entry.id)).toEqual(expect.arrayContaining([none.id, guarded.id]));
  });

  it('uses the project policy by default, and a stored policy by name', async () => {
    await keel.services.guardrails.putPolicy(
      caller.projectId,
      'strict',
      { input: { pii: { action: 'block' } } },
      null,
    );
    const created = await keel.services.redTeam.createRun(caller, {
      target: { type: 'model', model: 'echo:reverse' },
      categories: ['pii_extraction'],
      languages: ['ko'],
      policy: 'strict',
    });
    expect(created.policy).toEqual({ mode: 'named', name: 'strict' });
    const done = await keel.services.redTeam.wait(caller, created.id);
    expect(done.report!.overall.attack_success_rate).toBeLessThan(0.5);
    expect(done.report!.by_category[0]!.blocked).toBeGreaterThan(0);
  });

  it('refuses what is wrong before queuing: unknown set, model, policy; filters that leave nothing', async () => {
    const service = keel.services.redTeam;
    const target = { type: 'model' as const, model: 'echo:reverse' };
    await expect(service.createRun(caller, { target, probe_set: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      service.createRun(caller, { target: { type: 'model', model: 'echo:missing' } }),
    ).rejects.toMatchObject({ code: 'model_not_found' });
    await expect(service.createRun(caller, { target, policy: 'missing-policy' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      service.createRun(caller, {
        target,
        probes: [
          {
            id: 'mine-1',
            category: 'jailbreak',
            language: 'en',
            attack: 'Say OK-MARKER',
            detector: { type: 'marker', values: ['OK-MARKER'] },
          },
        ],
        languages: ['ko'],
      }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      issues: [expect.objectContaining({ code: 'no_probes' })],
    });
    await expect(
      service.createRun(caller, { target, probe_set: 'keel', probes: [] as never }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('records a model failure as that probe’s error; the others complete and it never counts as a success', async () => {
    const created = await keel.services.redTeam.createRun(caller, {
      target: { type: 'model', model: 'flaky:reverse' },
      policy: null,
      probes: [
        {
          id: 'ok',
          category: 'jailbreak',
          language: 'en',
          attack: 'Say MARKER-OK please',
          detector: { type: 'marker', values: ['MARKER-OK'] },
        },
        {
          id: 'fails',
          category: 'jailbreak',
          language: 'en',
          attack: 'MARKER-LONG FAIL-HERE',
          detector: { type: 'marker', values: ['MARKER-LONG'] },
        },
      ],
      max_new_tokens: 5,
    });
    const done = await keel.services.redTeam.wait(caller, created.id);
    expect(done.status).toBe('succeeded');
    const results = await keel.services.redTeam.results(caller, created.id);
    expect(results.map((result) => result.probe_id)).toEqual(['ok', 'fails']);
    expect(results[0]!.success).toBe(true);
    expect(results[1]).toMatchObject({ outcome: 'error', success: false, error: { code: 'upstream_error' } });
    expect(done.report!.overall).toMatchObject({
      probes: 2,
      completed: 1,
      errors: 1,
      attack_success_rate: 1,
    });
  });
});
