/**
 * Tuning benchmark. Heads (logistic regression and a one-hidden-layer MLP on hashed character
 * n-grams) trained in-process and scored on held-out data, beside a baseline on the same data:
 *   - kocohub Korean HAP (hate or offensive against none): train split → dev split, beside the
 *     lexicon detector's reported figures, with a detector operating point (validation FPR ≤ 0.15);
 *   - KLUE NLI (Korean, 3 classes) and HateCheck (English, split by template): beside a zero-shot
 *     prompt to the tiny random-weight GGUF, expected near chance.
 * Training seconds and peak RSS are reported per 10k training examples. Metrics are the
 * evaluation module's (accuracy, macro F1). Prints tables and one JSON line.
 *
 *   npx tsx bench/tuning/run.ts            (KEEL_BENCH_TINY=0 skips the zero-shot runs;
 *                                           KEEL_BENCH_ZERO_SHOT_ITEMS caps them, default 300)
 */
import { loadavg } from 'node:os';
import { labelMetrics } from '../../src/evals/index.js';
import {
  charNgramSpec,
  classifyTexts,
  type HeadModel,
  type LabelledText,
  trainLogisticHead,
  trainMlpHead,
} from '../../src/tuning/index.js';
import { type BenchSet, hateCheck, klueNli, kocohub } from './sets.js';
import { withTinyModel, zeroShot } from './zero-shot.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const LEXICON = { f1: 0.312, recall: 0.186 };
const MAX_FPR = 0.15;
const ZERO_SHOT_ITEMS = Number(process.env.KEEL_BENCH_ZERO_SHOT_ITEMS ?? 300);
const f3 = (v: number) => Number(v.toFixed(3));

interface Trained {
  model: HeadModel;
  seconds: number;
  peakMiB: number;
  trainCount: number;
  bestEpoch: number;
}

async function measureTraining(
  train: () => Promise<{ model: HeadModel; trainCount: number; bestEpoch: number }>,
) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const result = await train();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ...result, seconds, peakMiB: (peak - before) / 2 ** 20 } satisfies Trained;
}

async function score(model: HeadModel, items: LabelledText[]) {
  const predicted = (
    await classifyTexts(
      model,
      items.map((i) => i.text),
    )
  ).map((p) => p.label);
  return {
    predicted,
    report: labelMetrics(
      predicted,
      items.map((i) => i.label),
    ),
  };
}

function binary(predicted: string[], items: LabelledText[], positive: string) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  items.forEach((item, i) => {
    const flagged = predicted[i] === positive;
    if (item.label === positive) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  });
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, fpr: fp / Math.max(1, fp + tn) };
}

const row = (name: string, ...cells: string[]) =>
  log(`| ${name.padEnd(30)} | ${cells.map((c) => c.padStart(9)).join(' | ')} |`);
const per10k = (t: Trained) => 10_000 / t.trainCount;

async function hap(set: BenchSet) {
  const options = { seed: 7, positiveLabel: 'hap', maxFalsePositiveRate: MAX_FPR };
  const lr = await measureTraining(() => trainLogisticHead(set.train, charNgramSpec(), options));
  const mlp = await measureTraining(() =>
    trainMlpHead(set.train, charNgramSpec({ dimensions: 2 ** 16 }), { ...options, hiddenUnits: 32 }),
  );
  log(
    `\n## ${set.name}: train ${set.train.length}, dev ${set.test.length} (operating point: validation FPR <= ${MAX_FPR})`,
  );
  row('detector', 'F1', 'precision', 'recall', 'FPR', 's/10k', 'MiB');
  row('lexicon (reported)', LEXICON.f1.toFixed(3), '-', LEXICON.recall.toFixed(3), '-', '-', '-');
  const out: Record<string, unknown> = {
    train: set.train.length,
    dev: set.test.length,
    lexicon_f1: LEXICON.f1,
  };
  for (const [name, t] of [
    ['LR head, 2^18 n-grams', lr],
    ['MLP head (32), 2^16 n-grams', mlp],
  ] as const) {
    const b = binary((await score(t.model, set.test)).predicted, set.test, 'hap');
    row(
      name,
      ...[b.f1, b.precision, b.recall, b.fpr].map((v) => v.toFixed(3)),
      (t.seconds * per10k(t)).toFixed(1),
      t.peakMiB.toFixed(0),
    );
    out[t === lr ? 'logistic' : 'mlp'] = {
      f1: f3(b.f1),
      precision: f3(b.precision),
      recall: f3(b.recall),
      fpr: f3(b.fpr),
      target_met: b.f1 >= 0.6 && b.fpr <= 0.15,
      train_s_per_10k: f3(t.seconds * per10k(t)),
      peak_rss_delta_mib: Math.round(t.peakMiB),
      best_epoch: t.bestEpoch,
    };
  }
  return out;
}

async function versusZeroShot(set: BenchSet, ask: ((prompt: string) => Promise<string>) | null) {
  const labels = [...new Set(set.train.map((i) => i.label))].sort();
  const lr = await measureTraining(() => trainLogisticHead(set.train, charNgramSpec(), { seed: 7 }));
  const mlp = await measureTraining(() =>
    trainMlpHead(set.train, charNgramSpec({ dimensions: 2 ** 16 }), { seed: 7, hiddenUnits: 32 }),
  );
  const counts = labels.map((l) => set.test.filter((i) => i.label === l).length);
  const majority = Math.max(...counts) / set.test.length;
  log(
    `\n## ${set.name}: train ${set.train.length}, test ${set.test.length}; chance ${(1 / labels.length).toFixed(3)}, majority class ${majority.toFixed(3)}`,
  );
  row('model', 'accuracy', 'macro F1', 'items', 's/10k', 'MiB');
  const out: Record<string, unknown> = {
    train: set.train.length,
    test: set.test.length,
    majority: f3(majority),
  };
  for (const [key, name, t] of [
    ['logistic', 'LR head, 2^18 n-grams', lr],
    ['mlp', 'MLP head (32), 2^16 n-grams', mlp],
  ] as const) {
    const { report } = await score(t.model, set.test);
    row(
      name,
      report.accuracy.toFixed(3),
      report.macro_f1.toFixed(3),
      String(set.test.length),
      (t.seconds * per10k(t)).toFixed(1),
      t.peakMiB.toFixed(0),
    );
    out[key] = {
      accuracy: f3(report.accuracy),
      macro_f1: f3(report.macro_f1),
      train_s_per_10k: f3(t.seconds * per10k(t)),
      peak_rss_delta_mib: Math.round(t.peakMiB),
    };
  }
  if (ask) {
    const sample = set.test
      .filter((_, i) => i % Math.max(1, Math.floor(set.test.length / ZERO_SHOT_ITEMS)) === 0)
      .slice(0, ZERO_SHOT_ITEMS);
    const zs = await zeroShot(ask, sample, labels, set.prompt);
    const report = labelMetrics(
      zs.predictions,
      sample.map((i) => i.label),
    );
    // Macro F1 over the set's own labels (an unparsed answer is a wrong one).
    const macro = labels.reduce((s, l) => s + (report.per_class[l]?.f1 ?? 0), 0) / labels.length;
    row('zero-shot tiny GGUF', report.accuracy.toFixed(3), macro.toFixed(3), String(sample.length), '-', '-');
    log(`zero-shot: ${zs.unparsed} of ${sample.length} answers named no label; ${zs.seconds.toFixed(1)} s`);
    out.zero_shot_tiny = {
      accuracy: f3(report.accuracy),
      macro_f1: f3(macro),
      items: sample.length,
      unparsed: zs.unparsed,
    };
  }
  return out;
}

async function main() {
  const load = loadavg()[0]?.toFixed(1);
  log(`load average (1 min) at start: ${load}; timings on a shared machine move; compare rows of one run`);
  const sets = { hap: kocohub(), nli: klueNli(), hatecheck: hateCheck() };
  const figures: Record<string, unknown> = { bench: 'tuning', load_1m: Number(load) };
  if (sets.hap) figures.hap_ko = await hap(sets.hap);
  else log('dataset missing: hap-ko-kocohub-korean-hate-speech; HAP not measured');
  const useTiny = process.env.KEEL_BENCH_TINY !== '0';
  const rest = async (ask: ((prompt: string) => Promise<string>) | null) => {
    if (sets.nli) figures.klue_nli = await versusZeroShot(sets.nli, ask);
    else log('dataset missing: cls-ko-klue-nli-sts; KLUE NLI not measured');
    if (sets.hatecheck) figures.hatecheck = await versusZeroShot(sets.hatecheck, ask);
    else log('dataset missing: hap-hatecheck; HateCheck not measured');
  };
  if (useTiny) await withTinyModel((ask) => rest(ask));
  else await rest(null);
  log(
    '\nThe zero-shot rows come from a random-weight model: near (or under) chance is the expected result; it is the floor, not a rival.',
  );
  log(JSON.stringify(figures));
}

await main();
