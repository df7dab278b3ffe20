/**
 * @module bench/evals/metrics
 * Metric throughput and agreement.
 * - Throughput: every metric in the registry on 10,000 items (items/s). Text metrics run on
 *   summary pairs from SciTLDR (prediction = the abstract's first sentence, reference = one
 *   author TLDR; the 618 papers' ~2,000 pairs repeat to 10,000); the others on seeded synthetic
 *   inputs of the same size. Target: ROUGE-L on 10k pairs in under 2 s.
 * - QA: EM/F1 on KorQuAD v1 dev and XQuAD (en) with a trivial prediction (the context's first
 *   sentence), to exercise the English and Korean normalisations at scale.
 * - Agreement: the reference-test vectors (values published by rouge-score, sacreBLEU, NLTK,
 *   Hugging Face evaluate) recomputed here; the max absolute difference per metric.
 * Datasets come from ../shared/datasets; a missing set is reported as missing, not faked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeBleu, corpusBleu, sentenceBleu } from '../../src/evals/metrics/bleu.js';
import { chrf } from '../../src/evals/metrics/chrf.js';
import {
  computeMetric,
  type MetricInput,
  metricInfo,
  metricNames,
  seededRandom,
} from '../../src/evals/metrics/index.js';
import { meteor } from '../../src/evals/metrics/meteor.js';
import { rougeScore } from '../../src/evals/metrics/rouge.js';
import { sariSentence } from '../../src/evals/metrics/sari.js';

const ITEMS = Number(process.env.KEEL_BENCH_METRIC_ITEMS ?? 10_000);
const datasets = resolve(import.meta.dirname, '../../../shared/datasets');

export interface ThroughputRow {
  metric: string;
  items: number;
  seconds: number;
  itemsPerSecond: number;
  score: number;
  input: string;
}

export interface QaRow {
  dataset: string;
  questions: number;
  exact_match: number;
  f1: number;
  itemsPerSecond: number;
}

export interface AgreementRow {
  metric: string;
  vectors: number;
  maxAbsDiff: number;
  source: string;
}

export interface MetricsBench {
  throughput: ThroughputRow[];
  qa: QaRow[];
  agreement: AgreementRow[];
  missing: string[];
}

interface Pair {
  source: string;
  prediction: string;
  reference: string;
}

function scitldrPairs(missing: string[]): Pair[] {
  const file = resolve(datasets, 'sum-en-scitldr/SciTLDR-A_test.jsonl');
  if (!existsSync(file)) {
    missing.push('sum-en-scitldr (synthetic sentences used instead)');
    const words = [
      'model',
      'learning',
      'we',
      'propose',
      'a',
      'new',
      'method',
      'for',
      'graph',
      'networks',
      'results',
    ];
    const random = seededRandom(3);
    const sentence = () =>
      Array.from({ length: 18 }, () => words[Math.floor(random() * words.length)]).join(' ');
    return Array.from({ length: 2000 }, () => ({
      source: sentence(),
      prediction: sentence(),
      reference: sentence(),
    }));
  }
  const pairs: Pair[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const paper = JSON.parse(line) as { source: string[]; target: string[] };
    const lead = paper.source[0] ?? '';
    for (const target of paper.target)
      pairs.push({ source: paper.source.join(' '), prediction: lead, reference: target });
  }
  return pairs;
}

function repeat<T>(items: readonly T[], count: number): T[] {
  return Array.from({ length: count }, (_, i) => items[i % items.length] as T);
}

function syntheticInput(metric: string, count: number): MetricInput {
  const random = seededRandom(11);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
  const family = metricInfo(metric)?.family;
  if (family === 'retrieval') {
    const ids = Array.from({ length: 50 }, (_, i) => `d${i}`);
    return {
      predictions: Array.from({ length: count }, () => Array.from({ length: 10 }, () => pick(ids))),
      references: Array.from({ length: count }, () => [pick(ids), pick(ids)]),
      options: { k: 10 },
    };
  }
  if (family === 'classification') {
    const labels = ['positive', 'negative', 'neutral', '긍정', '부정'];
    return {
      predictions: Array.from({ length: count }, () => pick(labels)),
      references: Array.from({ length: count }, () => pick(labels)),
    };
  }
  if (family === 'fairness') {
    return {
      predictions: Array.from({ length: count }, () => pick(['1', '0'])),
      groups: Array.from({ length: count }, () => pick(['a', 'b', 'c'])),
    };
  }
  if (family === 'cost')
    return { predictions: Array.from({ length: count }, () => Math.round(random() * 2000)) };
  if (metric === 'span_f1') {
    const spans = ['Seoul', 'Busan', 'IBM', 'Keel', '서울특별시', '한국은행'];
    return {
      predictions: Array.from({ length: count }, () => [pick(spans), pick(spans)]),
      references: Array.from({ length: count }, () => [pick(spans)]),
    };
  }
  if (metric === 'field_f1') {
    const object = () => ({
      name: pick(['Kim', 'Lee', 'Park']),
      city: pick(['Seoul', 'Busan']),
      age: pick([30, 40]),
    });
    return {
      predictions: Array.from({ length: count }, object),
      references: Array.from({ length: count }, object),
    };
  }
  throw new Error(`no synthetic input for ${metric}`);
}

function throughput(pairs: readonly Pair[]): ThroughputRow[] {
  const items = repeat(pairs, ITEMS);
  const textInput: MetricInput = {
    predictions: items.map((p) => p.prediction),
    references: items.map((p) => p.reference),
    sources: items.map((p) => p.source),
  };
  const rows: ThroughputRow[] = [];
  for (const metric of metricNames) {
    const family = metricInfo(metric)?.family;
    const text = family === 'generation' || family === 'qa';
    const input = text ? textInput : syntheticInput(metric, ITEMS);
    const started = performance.now();
    const result = computeMetric(metric, input);
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      metric,
      items: ITEMS,
      seconds,
      itemsPerSecond: ITEMS / seconds,
      score: result.score,
      input: text ? 'SciTLDR pairs' : 'synthetic',
    });
  }
  return rows;
}

interface SquadFile {
  data: { paragraphs: { context: string; qas: { answers: { text: string }[] }[] }[] }[];
}

function firstSentence(context: string): string {
  const match = /^(.+?[.!?])(\s|$)/su.exec(context);
  return (match?.[1] ?? context).trim();
}

function qa(missing: string[]): QaRow[] {
  const rows: QaRow[] = [];
  for (const [name, path] of [
    ['rag-ko-korquad-v1-dev', 'rag-ko-korquad-v1-dev/KorQuAD_v1.0_dev.json'],
    ['rag-en-xquad', 'rag-en-xquad/xquad.en.json'],
  ] as const) {
    const file = resolve(datasets, path);
    if (!existsSync(file)) {
      missing.push(name);
      continue;
    }
    const squad = JSON.parse(readFileSync(file, 'utf8')) as SquadFile;
    const predictions: string[] = [];
    const references: string[][] = [];
    for (const article of squad.data) {
      for (const paragraph of article.paragraphs) {
        const lead = firstSentence(paragraph.context);
        for (const question of paragraph.qas) {
          predictions.push(lead);
          references.push(question.answers.map((answer) => answer.text));
        }
      }
    }
    const modes = name.includes('-ko-') ? (['particles', 'korquad'] as const) : (['particles'] as const);
    for (const korean of modes) {
      const options = { korean };
      const started = performance.now();
      const em = computeMetric('exact_match', { predictions, references, options });
      const f1 = computeMetric('f1', { predictions, references, options });
      const seconds = (performance.now() - started) / 1000;
      rows.push({
        dataset: name.includes('-ko-')
          ? `${name} (${korean === 'korquad' ? 'official KorQuAD normalisation' : 'particles stripped'})`
          : name,
        questions: predictions.length,
        exact_match: em.score,
        f1: f1.score,
        itemsPerSecond: (2 * predictions.length) / seconds,
      });
    }
  }
  return rows;
}

/** The reference-test vectors: [computed, published]. Sources are cited in the *.test.ts files. */
function agreement(): AgreementRow[] {
  const rows: AgreementRow[] = [];
  const add = (metric: string, source: string, pairs: [number, number][]) => {
    rows.push({
      metric,
      source,
      vectors: pairs.length,
      maxAbsDiff: Math.max(...pairs.map(([a, b]) => Math.abs(a - b))),
    });
  };
  add('rouge (F)', 'google-research rouge_scorer_test.py', [
    [rougeScore('rouge1', 'testing one two', 'testing').fmeasure, 1 / 2],
    [rougeScore('rouge2', 'testing one two', 'testing one').fmeasure, 2 / 3],
    [rougeScore('rougeL', 'testing one two', 'testing two').fmeasure, 4 / 5],
    [rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5').recall, 0.8],
    [rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5').precision, 0.4],
  ]);
  const refStreams = [
    ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
    ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
  ];
  const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
  const refs = hyps.map((_, i) => refStreams.map((s) => s[i] as string));
  add('sacrebleu (corpus)', 'sacrebleu test_bleu.py', [
    [corpusBleu(hyps, refs).score, 48.530827],
    [corpusBleu(hyps, refs, { tokenizer: 'none' }).score, 49.1919566],
    [
      computeBleu({ correct: [9, 7, 5, 3], total: [10, 8, 6, 4], sysLen: 11, refLen: 11 }).score / 100,
      0.8375922397,
    ],
  ]);
  const floor = { smooth: 'floor' as const, smoothValue: 0.01, tokenizer: 'none' as const };
  add('sacrebleu (sentence)', 'sacrebleu test_bleu.py effective order', [
    [sentenceBleu('test', ['a test'], floor).score / 100, 0.3678794411714425],
    [sentenceBleu('a little test', ['a test'], floor).score / 100, 0.03218297948685433],
  ]);
  add('chrf', 'sacrebleu test_chrf.py', [
    [
      chrf(
        ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.'],
        [['Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.']],
        { epsSmoothing: true },
      ).score,
      39.14078509,
    ],
    [
      chrf(
        ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
        [['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.']],
        { beta: 3, whitespace: true },
      ).score,
      67.3481606,
    ],
  ]);
  add('sari', 'evaluate metrics/sari/sari.py', [
    [
      100 *
        sariSentence('About 95 species are currently accepted .', 'About 95 you now get in .', [
          'About 95 species are currently known .',
          'About 95 species are now accepted .',
          '95 species are now accepted .',
        ]),
      26.953601953601954,
    ],
  ]);
  add('meteor', 'nltk test_meteor.py', [
    [meteor(['this is a test', 'this istest'], 'THIS Is a tEST'), 0.9921875],
  ]);
  add('exact_match / f1', 'SQuAD v1.1 evaluate script', [
    [
      computeMetric('f1', { predictions: ['in the year 1976'], references: [['1976', 'year 1976']] }).score,
      0.8,
    ],
    [
      computeMetric('f1', { predictions: ['an apple a day'], references: [['the apple']] }).score,
      0.6666666666666666,
    ],
    [
      computeMetric('exact_match', { predictions: ['The Denver Broncos!'], references: ['Denver Broncos'] })
        .score,
      1,
    ],
  ]);
  return rows;
}

export function runMetricsBench(): MetricsBench {
  const missing: string[] = [];
  const pairs = scitldrPairs(missing);
  return { throughput: throughput(pairs), qa: qa(missing), agreement: agreement(), missing };
}

export function printMetricsBench(result: MetricsBench, log: (line: string) => void): void {
  log('| metric | input | items | seconds | items/s | score |');
  log('|---|---|---|---|---|---|');
  for (const row of result.throughput) {
    log(
      `| ${row.metric} | ${row.input} | ${row.items} | ${row.seconds.toFixed(3)} | ${Math.round(row.itemsPerSecond).toLocaleString('en-US')} | ${row.score.toFixed(4)} |`,
    );
  }
  log('');
  log('| QA set (lead-sentence predictions) | questions | EM | F1 | items/s |');
  log('|---|---|---|---|---|');
  for (const row of result.qa) {
    log(
      `| ${row.dataset} | ${row.questions} | ${row.exact_match.toFixed(4)} | ${row.f1.toFixed(4)} | ${Math.round(row.itemsPerSecond).toLocaleString('en-US')} |`,
    );
  }
  log('');
  log('| agreement | vectors | max abs diff | source of the expected values |');
  log('|---|---|---|---|');
  for (const row of result.agreement)
    log(`| ${row.metric} | ${row.vectors} | ${row.maxAbsDiff.toExponential(2)} | ${row.source} |`);
  for (const name of result.missing) log(`MISSING dataset: ${name}`);
}

export function metricsJson(result: MetricsBench): Record<string, unknown> {
  const rougeL = result.throughput.find((row) => row.metric === 'rougeL');
  return {
    items: ITEMS,
    rougeL_10k_seconds: rougeL ? Number(rougeL.seconds.toFixed(3)) : null,
    rougeL_under_2s: rougeL ? rougeL.seconds < 2 : null,
    items_per_s: Object.fromEntries(
      result.throughput.map((row) => [row.metric, Math.round(row.itemsPerSecond)]),
    ),
    qa: Object.fromEntries(
      result.qa.map((row) => [
        row.dataset,
        { questions: row.questions, em: Number(row.exact_match.toFixed(4)), f1: Number(row.f1.toFixed(4)) },
      ]),
    ),
    agreement_max_abs_diff: Math.max(...result.agreement.map((row) => row.maxAbsDiff)),
    missing: result.missing,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = runMetricsBench();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  printMetricsBench(result, log);
  log(JSON.stringify({ bench: 'evals-metrics', ...metricsJson(result) }));
}
