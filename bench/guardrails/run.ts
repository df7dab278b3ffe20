/**
 * @module bench/guardrails/run
 * The guardrails benchmark: PII, HAP and prompt-injection quality on the public sets in the shared
 * datasets folder, a synthetic Korean PII set generated here, and throughput on mixed
 * Korean/English text beside naive-regex anchors. Prints tables, then ONE JSON line.
 *
 *   npx tsx bench/guardrails/run.ts     (KEEL_DATASETS=<dir> for the datasets elsewhere;
 *                                        KEEL_BENCH_MIB=<n> to change the 50 MiB)
 */

import { indirectSpeed, indirectThroughPolicy } from './indirect.js';
import {
  benignQuestions,
  bipia,
  type EntityRow,
  hatecheck,
  kocohub,
  koreanSynthetic,
  koreanVectors,
  llmGuard,
  presidioSynth,
  presidioVectors,
  type VectorRow,
} from './quality.js';
import { measureSpeed } from './speed.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const f = (value: number, digits = 3) => value.toFixed(digits);

function entityTable(rows: EntityRow[]): void {
  log('| entity | precision | recall | F1 | support |');
  log('|---|---|---|---|---|');
  for (const row of rows)
    log(`| ${row.entity} | ${f(row.precision)} | ${f(row.recall)} | ${f(row.f1)} | ${row.support} |`);
}

function vectorTable(rows: VectorRow[]): void {
  log('| entity | positives found | negatives flagged ≥ 0.5 | of which raised by context |');
  log('|---|---|---|---|');
  for (const row of rows)
    log(
      `| ${row.entity} | ${row.found}/${row.positives} | ${row.flagged}/${row.negatives} | ${row.flaggedAboveContext} |`,
    );
}

async function main(): Promise<void> {
  let synth: EntityRow[];
  try {
    synth = presidioSynth();
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nPut the shared datasets beside the repository or set KEEL_DATASETS.\n`,
    );
    process.exit(2);
  }
  log('\n## PII: presidio-research synthetic sentences (English), spans scoring ≥ 0.5');
  entityTable(synth);
  const vectors = presidioVectors();
  log('\n## PII: presidio recognizer test vectors (English recognizers Keel has)');
  vectorTable(vectors.rows);
  const kr = koreanVectors();
  log('\n## PII: presidio KR_* test vectors');
  vectorTable(kr.rows);
  if (kr.failures.length) log(`failures: ${kr.failures.join('; ')}`);
  const korean = koreanSynthetic();
  log('\n## PII: synthetic Korean sentences (bench/guardrails/korean-pii-set.ts, 2,000 sentences, seeded)');
  entityTable(korean);

  const koco = kocohub();
  const hate = hatecheck();
  log('\n## HAP');
  log('| set | precision | recall | F1 | false-positive rate | positives / negatives |');
  log('|---|---|---|---|---|---|');
  for (const row of [koco, hate.overall, hate.anyHap])
    log(
      `| ${row.set} | ${f(row.precision)} | ${f(row.recall)} | ${f(row.f1)} | ${f(row.fpr)} | ${row.positives} / ${row.negatives} |`,
    );
  log('\n### HateCheck per functionality (hate category; accuracy = share labelled correctly)');
  log('| functionality | gold | accuracy | cases |');
  log('|---|---|---|---|');
  for (const row of hate.functionalities)
    log(`| ${row.functionality} | ${row.label} | ${f(row.accuracy)} | ${row.cases} |`);

  const guard = llmGuard();
  const attacks = bipia();
  const benign = benignQuestions();
  log('\n## Prompt injection (score ≥ 0.7, the default policy threshold)');
  log('| set | precision | recall | F1 | false-positive rate | positives / negatives |');
  log('|---|---|---|---|---|---|');
  for (const row of [guard, attacks.attacks])
    log(
      `| ${row.set} | ${f(row.precision)} | ${f(row.recall)} | ${f(row.f1)} | ${f(row.fpr)} | ${row.positives} / ${row.negatives} |`,
    );
  log(`| ${benign.set} (prompt mode, all benign) | | | | ${f(benign.fpr, 4)} | 0 / ${benign.questions} |`);
  log('\n| BIPIA task (document mode) | attack recall | clean-context false-positive rate | contexts |');
  log('|---|---|---|---|');
  for (const row of attacks.byTask)
    log(`| ${row.task} | ${f(row.recall)} | ${f(row.cleanFpr)} | ${row.contexts} |`);

  const indirect = await indirectThroughPolicy();
  const indirectFast = indirectSpeed();
  log(
    '\n## Indirect injection through the default policy (block at 0.7), by the way content reaches the model',
  );
  log('quoted: the context quoted in the user message (red-team model target); rag: a retrieved passage');
  log(
    'screened at answer time; tool: a tool result. Recall on planted attacks, false-positive rate on clean texts.',
  );
  log('| set | path | recall | false-positive rate | positives / negatives |');
  log('|---|---|---|---|---|');
  const cell = (value: number | null) => (value === null ? '' : f(value));
  for (const entry of [...indirect.rows, ...Object.values(indirect.bipia)])
    log(
      `| ${entry.set} | ${entry.path} | ${cell(entry.recall)} | ${cell(entry.fpr)} | ${entry.positives} / ${entry.negatives} |`,
    );
  log(
    `\nInjection detector, document mode: ${f(indirectFast.usPerKb.bipia, 2)} µs/KB on BIPIA contexts, ${f(indirectFast.usPerKb.korquad, 2)} µs/KB on KorQuAD paragraphs; a RAG answer's screen without a policy: ${f(indirectFast.noPolicyNsPerCall, 1)} ns per call`,
  );

  const speed = measureSpeed();
  log(
    `\n## Throughput on ${f(speed.mib, 1)} MiB of mixed Korean/English text (one thread, median of three passes)`,
  );
  log('| what | MiB/s | vs naive regexes | vs @-anchored email scan |');
  log('|---|---|---|---|');
  const row = (name: string, value: number) =>
    log(
      `| ${name} | ${f(value, 1)} | ${f(value / speed.anchors.naiveRegexes, 3)} | ${f(value / speed.anchors.atAnchoredEmail, 4)} |`,
    );
  row('Keel PII + HAP + injection', speed.keel.all);
  row('Keel PII', speed.keel.pii);
  row('Keel HAP', speed.keel.hap);
  row('Keel injection (document mode)', speed.keel.injection);
  row('anchor: naive email, phone, card regexes', speed.anchors.naiveRegexes);
  row('anchor: @-anchored email scan', speed.anchors.atAnchoredEmail);
  log(
    `\n2 KB message through the default policy (all detectors): p50 ${f(speed.latency2kb.p50)} ms, p99 ${f(speed.latency2kb.p99)} ms, max ${f(speed.latency2kb.max)} ms over ${speed.latency2kb.messages} messages`,
  );

  const english = Object.fromEntries(
    synth
      .filter((entry) =>
        ['EMAIL_ADDRESS', 'CREDIT_CARD', 'IBAN_CODE', 'PHONE_NUMBER', 'US_SSN'].includes(entry.entity),
      )
      .map((entry) => [entry.entity, entry.f1]),
  );
  const krPositives = kr.rows.reduce((sum, entry) => sum + entry.positives, 0);
  const krFound = kr.rows.reduce((sum, entry) => sum + entry.found, 0);
  const krFlagged = kr.rows.reduce((sum, entry) => sum + entry.flagged, 0);
  log(
    JSON.stringify({
      bench: 'guardrails',
      pii: {
        english_f1: english,
        english_f1_target_met: Object.values(english).every((value) => value >= 0.95),
        kr_vectors: { positives: krPositives, found: krFound, negatives_flagged: krFlagged },
        korean_synthetic_f1: Object.fromEntries(korean.map((entry) => [entry.entity, entry.f1])),
      },
      hap: {
        kocohub: { f1: koco.f1, precision: koco.precision, recall: koco.recall, fpr: koco.fpr },
        hatecheck: { f1: hate.overall.f1, fpr_non_hateful: hate.overall.fpr },
      },
      injection: {
        llm_guard: { recall: guard.recall, fpr: guard.fpr },
        bipia: { recall: attacks.attacks.recall, fpr_clean_contexts: attacks.attacks.fpr },
        benign_questions_fpr: benign.fpr,
        indirect_default_policy: {
          bipia: Object.fromEntries(
            Object.values(indirect.bipia).map((entry) => [
              entry.path,
              { recall: entry.recall, fpr: entry.fpr },
            ]),
          ),
          sets: indirect.rows
            .filter((entry) => entry.path === 'quoted')
            .map((entry) => ({ set: entry.set, recall: entry.recall, fpr: entry.fpr })),
          us_per_kb: indirectFast.usPerKb,
          no_policy_ns_per_call: indirectFast.noPolicyNsPerCall,
        },
      },
      throughput_mib_s: {
        keel_all: Number(f(speed.keel.all, 1)),
        naive_regex_anchor: Number(f(speed.anchors.naiveRegexes, 1)),
        at_anchored_email_anchor: Number(f(speed.anchors.atAnchoredEmail, 1)),
        ratio_to_naive: Number(f(speed.keel.all / speed.anchors.naiveRegexes, 3)),
      },
      latency_2kb_ms: { p50: Number(f(speed.latency2kb.p50)), p99: Number(f(speed.latency2kb.p99)) },
    }),
  );
}

await main();
