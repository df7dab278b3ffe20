/**
 * @module bench/watsonx/rerank-tune
 * How the fused reranker's weights were chosen, reproducibly: each question's BM25 top 50 on
 * KorQuAD 1.0 dev and XQuAD (en) is scored once with every signal (the lexical reranker's five and
 * the character n-gram cosines), then a grid of weights is searched on the TUNING split only
 * (questions of even-numbered articles of both sets; objective: mean recall@1 over the two sets,
 * nDCG@10 to break ties). The best weights are then reported on the HELD-OUT split (odd-numbered
 * articles, never looked at while choosing) and on the whole sets. Prints tables, then ONE JSON line.
 *
 *   npx tsx bench/watsonx/rerank-tune.ts     (KEEL_DATASETS=<dir> to read the datasets elsewhere;
 *   KEEL_RERANK_SIGNALS=<file> keeps the computed signals there and reads them back next time)
 *
 * Two searches: the reranker alone (what `POST /ml/v1/text/rerank` sees: the query and the texts),
 * and the reranker fused with the first stage's BM25 score (what a caller holding those scores,
 * such as a collection's retrieval, can do).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { Bm25Index } from '../../src/rag/lexical/bm25-index.js';
import { LexicalReranker } from '../../src/rag/rerank/lexical-reranker.js';
import { ngramProfile, ngramSimilarity } from '../../src/rag/rerank/ngram-similarity.js';
import { loadRetrievalSet } from '../rag/datasets.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const POOL = 50;
const SIGNALS = ['bm25', 'chars', 'sentence', 'proximity', 'phrase', 'whole', 'window', 'first'] as const;
type Signal = (typeof SIGNALS)[number];

interface Question {
  set: 'korquad' | 'xquad';
  split: 'tune' | 'held-out';
  /** Index of the gold paragraph among the candidates, or -1 when BM25 missed it. */
  gold: number;
  /** signals[s][candidate], each scaled to 0–1 over the candidates. */
  signals: Float64Array[];
}

function scaleToMax(values: number[]): Float64Array {
  const max = Math.max(...values) || 1;
  return Float64Array.from(values, (value) => value / max);
}

function prepare(name: 'korquad' | 'xquad'): Question[] {
  const set = loadRetrievalSet(name);
  const index = new Bm25Index();
  index.add(set.paragraphs.map((p) => ({ id: p.id, text: p.text, fields: { title: p.title } })));
  const byId = new Map(set.paragraphs.map((p) => [p.id, p]));
  const reranker = new LexicalReranker();
  const profiles = new Map<string, ReturnType<typeof ngramProfile>>();
  const questions: Question[] = [];
  for (const question of set.questions) {
    const hits = index.search(question.text, { topK: POOL });
    const ids = hits.map((hit) => hit.id);
    const documents = ids.map((id) => `${byId.get(id)!.title}\n${byId.get(id)!.text}`);
    const lexical = reranker.features(question.text, documents);
    const ngram = ngramSimilarity(
      question.text,
      documents.map((document, i) => {
        const cached = profiles.get(ids[i]!);
        if (cached) return cached;
        const profile = ngramProfile(document);
        profiles.set(ids[i]!, profile);
        return profile;
      }),
    );
    const article = Number(question.gold.split('-')[0]);
    questions.push({
      set: name,
      split: article % 2 === 0 ? 'tune' : 'held-out',
      gold: ids.indexOf(question.gold),
      signals: [
        Float64Array.from(lexical, (f) => f.bm25),
        Float64Array.from(lexical, (f) => f.chars),
        Float64Array.from(lexical, (f) => f.sentence),
        Float64Array.from(lexical, (f) => f.proximity),
        Float64Array.from(lexical, (f) => f.phrase),
        scaleToMax(ngram.map((s) => s.whole)),
        scaleToMax(ngram.map((s) => s.window)),
        // The first stage's own score (corpus-wide IDF, title field), where the caller has it.
        scaleToMax(hits.map((hit) => hit.score)),
      ],
    });
  }
  return questions;
}

/** The gold's rank under these weights (ties broken by the first stage's order), or -1. */
function rankOf(question: Question, weights: number[]): number {
  if (question.gold < 0) return -1;
  const n = question.signals[0]!.length;
  const score = (c: number) => {
    let total = 0;
    for (let s = 0; s < weights.length; s++) if (weights[s]) total += weights[s]! * question.signals[s]![c]!;
    return total;
  };
  const gold = score(question.gold);
  let rank = 0;
  for (let c = 0; c < n; c++) {
    if (c === question.gold) continue;
    const other = score(c);
    if (other > gold || (other === gold && c < question.gold)) rank++;
  }
  return rank;
}

function evaluate(questions: Question[], weights: number[]) {
  let recall1 = 0;
  let ndcg = 0;
  for (const question of questions) {
    const rank = rankOf(question, weights);
    if (rank === 0) recall1++;
    if (rank >= 0 && rank < 10) ndcg += 1 / Math.log2(rank + 2);
  }
  const n = questions.length || 1;
  return { recall1: recall1 / n, ndcg10: ndcg / n };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

async function main(): Promise<void> {
  const started = performance.now();
  const cache = process.env.KEEL_RERANK_SIGNALS;
  const all: Question[] =
    cache && existsSync(cache)
      ? (deserialize(readFileSync(cache)) as Question[])
      : [...prepare('korquad'), ...prepare('xquad')];
  if (cache && !existsSync(cache)) writeFileSync(cache, serialize(all));
  log(
    `signals computed for ${all.length} questions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const part = (set: string, split?: string) =>
    all.filter((q) => q.set === set && (split === undefined || q.split === split));
  const tune = [part('korquad', 'tune'), part('xquad', 'tune')];
  const objective = (weights: number[]) => {
    const [ko, en] = tune.map((questions) => evaluate(questions, weights));
    return { r1: (ko!.recall1 + en!.recall1) / 2, ndcg: (ko!.ndcg10 + en!.ndcg10) / 2 };
  };
  const grid = {
    first: [0.5, 1, 2],
    bm25: [0, 0.5, 1],
    chars: [0, 0.25, 0.5, 0.75],
    sentence: [0, 0.25, 0.5],
    whole: [0, 0.25, 0.5, 1],
    window: [0, 0.25, 0.5, 1],
  };
  const search = (firsts: number[], bm25s: number[]) => {
    let best = { weights: [] as number[], r1: -1, ndcg: -1 };
    for (const first of firsts)
      for (const bm25 of bm25s)
        for (const chars of grid.chars)
          for (const sentence of grid.sentence)
            for (const whole of grid.whole)
              for (const window of grid.window) {
                const weights = [bm25, chars, sentence, 0, 0, whole, window, first];
                if (weights.every((weight) => weight === 0)) continue;
                const { r1, ndcg } = objective(weights);
                if (r1 > best.r1 || (r1 === best.r1 && ndcg > best.ndcg)) best = { weights, r1, ndcg };
              }
    return best;
  };
  const named = (weights: number[]) =>
    Object.fromEntries(SIGNALS.map((signal, i) => [signal, weights[i]])) as Record<Signal, number>;
  const alone = search([0], [0.5, 1]);
  log(
    `reranker alone, best on the tuning split: ${JSON.stringify(named(alone.weights))} (mean R@1 ${alone.r1.toFixed(4)})`,
  );
  const fused = search(grid.first, grid.bm25);
  log(
    `fused with the first stage, best on the tuning split: ${JSON.stringify(named(fused.weights))} (mean R@1 ${fused.r1.toFixed(4)})`,
  );
  const runs: Record<string, number[]> = {
    'bm25 alone (first stage order)': [0, 0, 0, 0, 0, 0, 0, 0],
    'keel/lexical-rerank (current weights)': [1, 0.5, 0.5, 0, 0, 0, 0, 0],
    'n-gram cosine alone': [0, 0, 0, 0, 0, 1, 1, 0],
    'lexical + n-gram (tuned, reranker alone)': alone.weights,
    'first-stage bm25 + lexical + n-gram (tuned)': fused.weights,
  };
  const report: Record<string, Record<string, Record<string, { ndcg10: number; recall1: number }>>> = {};
  for (const set of ['korquad', 'xquad']) {
    report[set] = {};
    log(`\n## ${set}`);
    log('| run | split | questions | nDCG@10 | recall@1 |');
    log('|---|---|---|---|---|');
    for (const [run, weights] of Object.entries(runs)) {
      report[set]![run] = {};
      for (const split of ['tune', 'held-out', undefined]) {
        const questions = part(set, split);
        const scores = evaluate(questions, weights);
        report[set]![run]![split ?? 'all'] = { ndcg10: round(scores.ndcg10), recall1: round(scores.recall1) };
        log(
          `| ${run} | ${split ?? 'all'} | ${questions.length} | ${scores.ndcg10.toFixed(4)} | ${scores.recall1.toFixed(4)} |`,
        );
      }
    }
  }
  log(
    JSON.stringify({
      bench: 'watsonx-rerank-tune',
      pool: POOL,
      weights: { alone: named(alone.weights), fused: named(fused.weights) },
      quality: report,
    }),
  );
}

await main();
