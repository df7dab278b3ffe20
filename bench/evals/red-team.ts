/**
 * @module bench/evals/red-team
 * Red-team benchmark: attack success rate (ASR) with Keel's default guardrail policy against no
 * policy, per language and per category, on Keel's own Korean and English probes — and on the
 * public sets (BIPIA, llm-guard, HateCheck, English) when the shared datasets are there.
 *
 * Targets: the echo model (it answers with the user's message, words reversed — so an attack
 * "succeeds" exactly when the guardrails let it reach the model and come back: this measures
 * the guardrails, not a model's own refusals), and the tiny random-weight GGUF on llama.cpp (it
 * writes nonsense: its ASR is near zero either way; it shows the plumbing on a real engine).
 * System-prompt extraction cannot succeed against the echo model (it never repeats the system
 * prompt), so that row reads 0% both ways.
 *
 *   npx tsx bench/evals/red-team.ts   (KEEL_DATASETS=<dir>; KEEL_BENCH_TINY=0 skips the GGUF run;
 *   KEEL_BENCH_PUBLIC_SAMPLE=<n> probes per public set, default 300, sampled evenly;
 *   KEEL_BENCHTINY_PER_GROUP=<n> probes per category × language on the GGUF, default 3)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RedTeamRunJson } from '../../src/api/red-team.js';
import { loadProbeSet } from '../../src/evals/red-team/probe-sets.js';
import { publicProbeSets } from '../../src/evals/red-team/public-sets.js';
import { parsePolicyBody } from '../../src/guardrails/guardrail-service.js';
import { defaultPolicy } from '../../src/guardrails/index.js';
import { createLlamaCppProvider } from '../../src/models/providers/llamacpp/index.js';
import { createEchoProvider } from '../../src/testing/echo-provider.js';
import { createTestKeel } from '../../src/testing/test-keel.js';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';
import { datasetsDir } from '../rag/datasets.js';

const PUBLIC_SAMPLE = Number(process.env.KEEL_BENCH_PUBLIC_SAMPLE ?? 300);
const TINY_PER_GROUP = Number(process.env.KEEL_BENCHTINY_PER_GROUP ?? 3);
const log = (line: string) => process.stdout.write(`${line}\n`);
const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;

interface Measured {
  target: string;
  set: string;
  none: RedTeamRunJson;
  guarded: RedTeamRunJson;
}

async function main(): Promise<void> {
  const tinyDir = await mkdtemp(path.join(tmpdir(), 'keel-bench-redteam-'));
  const withTiny = process.env.KEEL_BENCH_TINY !== '0';
  if (withTiny) await ensureTinyGguf(tinyDir);
  const keel = await createTestKeel({
    providers: [
      createEchoProvider(),
      ...(withTiny
        ? [
            createLlamaCppProvider({
              modelsDir: tinyDir,
              threads: 2,
              contextSize: 1024,
              sequences: 1,
              maxLoadedModels: 1,
              idleUnloadSeconds: 60,
            }),
          ]
        : []),
    ],
  });
  const redTeam = keel.services.redTeam;
  const caller = {
    projectId: keel.services.installation.defaultProjectId,
    keyId: null,
    actor: 'bench',
    role: 'admin',
  };
  const measured: Measured[] = [];
  const timings: Record<string, number> = {};
  async function measure(target: string, set: string, extra: Record<string, unknown> = {}) {
    const started = performance.now();
    const run = async (policy: Record<string, unknown>) => {
      const created = await redTeam.createRun(
        caller,
        { target: { type: 'model', model: target }, ...extra, ...policy } as never,
        { parsePolicy: parsePolicyBody },
      );
      return redTeam.wait(caller, created.id);
    };
    const none = await run({ policy: null });
    const guarded = await run({ policy_body: defaultPolicy() });
    timings[`${target} ${set}`] = Math.round(performance.now() - started);
    process.stderr.write(
      `${target} ${set}: ${none.probe_count} probes ×2 in ${timings[`${target} ${set}`]} ms\n`,
    );
    measured.push({ target, set, none, guarded });
  }
  try {
    await measure('echo:reverse', 'keel', { probe_set: 'keel' });
    const available: string[] = [];
    for (const set of publicProbeSets) {
      const probes = await loadProbeSet(set.name, datasetsDir()).catch(() => undefined);
      if (!probes) {
        log(`(public set ${set.name} not found under the datasets folder: skipped)`);
        continue;
      }
      available.push(set.name);
      // Large sets are sampled evenly (every n-th probe) to at most PUBLIC_SAMPLE probes.
      const step = Math.max(1, Math.ceil(probes.length / PUBLIC_SAMPLE));
      await measure('echo:reverse', set.name, { probes: probes.filter((_, index) => index % step === 0) });
    }
    if (withTiny) {
      // The first TINY_PER_GROUP probes of each category and language: the tiny model is slow here.
      const seen = new Map<string, number>();
      const probes = (await loadProbeSet('keel')).filter((probe) => {
        const key = `${probe.category}:${probe.language}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        return seen.get(key)! <= TINY_PER_GROUP;
      });
      await measure('llamacpp:tiny', 'keel (sample)', { probes, max_new_tokens: 16, concurrency: 1 });
    }

    log('\n## Attack success rate per language: no policy → default policy');
    log(
      '| target | set | language | probes | ASR none | ASR default | blocked (default) | caught (default) |',
    );
    log('|---|---|---|---|---|---|---|---|');
    for (const entry of measured)
      for (const row of entry.guarded.report!.by_language) {
        const none = entry.none.report!.by_language.find((other) => other.language === row.language);
        log(
          `| ${entry.target} | ${entry.set} | ${row.language} | ${row.probes} | ${pct(none?.attack_success_rate)} | ${pct(row.attack_success_rate)} | ${pct(row.block_rate)} | ${pct(row.caught_rate)} |`,
        );
      }
    log('\n## Per category × language (echo model, Keel probes)');
    log('| category | language | ASR none | ASR default | blocked | caught |');
    log('|---|---|---|---|---|---|');
    const own = measured.find((entry) => entry.target === 'echo:reverse' && entry.set === 'keel')!;
    for (const row of own.guarded.report!.by_category_language) {
      const none = own.none.report!.by_category_language.find(
        (other) => other.category === row.category && other.language === row.language,
      );
      log(
        `| ${row.category} | ${row.language} | ${pct(none?.attack_success_rate)} | ${pct(row.attack_success_rate)} | ${pct(row.block_rate)} | ${pct(row.caught_rate)} |`,
      );
    }
    log('\n## Which guardrail caught what (echo model, Keel probes, default policy; probes)');
    log('| detector | direction | category | probes |');
    log('|---|---|---|---|');
    for (const row of own.guarded.report!.caught_by)
      log(`| ${row.detector} | ${row.direction} | ${row.category} | ${row.probes} |`);
    log('');
    log(
      JSON.stringify({
        bench: 'evals.red-team',
        targets: {
          'echo:reverse': 'echo model (answers with the user message, words reversed)',
          ...(withTiny ? { 'llamacpp:tiny': 'tiny random-weight GGUF on llama.cpp (writes nonsense)' } : {}),
        },
        public_sets: available,
        results: measured.map((entry) => ({
          target: entry.target,
          set: entry.set,
          asr_none: entry.none.report!.overall.attack_success_rate,
          asr_default: entry.guarded.report!.overall.attack_success_rate,
          block_rate_default: entry.guarded.report!.overall.block_rate,
          by_language: Object.fromEntries(
            entry.guarded.report!.by_language.map((row) => [
              row.language,
              {
                probes: row.probes,
                asr_none:
                  entry.none.report!.by_language.find((other) => other.language === row.language)
                    ?.attack_success_rate ?? null,
                asr_default: row.attack_success_rate,
              },
            ]),
          ),
          wall_ms: timings[`${entry.target} ${entry.set}`],
        })),
      }),
    );
  } finally {
    await keel.close();
    await rm(tinyDir, { recursive: true, force: true });
  }
}

await main();
