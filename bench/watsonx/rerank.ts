/**
 * @module bench/watsonx/rerank
 * The lexical reranker (`keel/lexical-rerank`, what `POST /ml/v1/text/rerank` runs offline) on
 * KorQuAD 1.0 dev and XQuAD (en): Keel's BM25 (title as a weighted field, as bench/rag measures it)
 * takes each question's top 50 paragraphs, the reranker reorders them. nDCG@10 and recall@1 beside
 * BM25 alone; and `keel/lexical-ngram-rerank` (the same fused with character n-gram cosine), alone
 * and with the first stage's BM25 scores fused in (`firstStageScores`, what collection search
 * passes to its reranker), and rank-fused with BM25 (RRF). Weights come from
 * bench/watsonx/rerank-learn.ts, fitted on the questions of even-numbered articles; the held-out
 * columns are the odd-numbered articles' questions alone. Also the fused reranker's time per query
 * (50 candidates, their analysis cached as a corpus's paragraphs are).
 * Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/watsonx/rerank.ts     (KEEL_DATASETS=<dir> to read the datasets elsewhere)
 */
import os from 'node:os';
import { Bm25Index } from '../../src/rag/lexical/bm25-index.js';
import { LexicalReranker } from '../../src/rag/rerank/lexical-reranker.js';
import { NgramFusionReranker, type NgramFusionWeights } from '../../src/rag/rerank/ngram-fusion-reranker.js';
import { loadRetrievalSet, type RetrievalSet } from '../rag/datasets.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const POOL = 50;

/** `keel/lexical-ngram-rerank`'s weights before the sentence cues (sentence-cues.ts), for comparison. */
const beforeCues: NgramFusionWeights = {
  bm25: 7.02782,
  chars: 4.19618,
  sentence: 0.4392,
  proximity: -0.9157,
  phrase: -0.81927,
  bigrams: 4.3392,
  pair: 3.54169,
  coverage: 5.01966,
  numeric: 4.75424,
  whole: 1.42699,
  window: 1.35273,
};

interface Scores {
  ndcg10: number;
  recall1: number;
  recall10: number;
  /** The same on the held-out half (odd-numbered articles), which chose no weight. */
  heldOut?: { ndcg10: number; recall1: number };
}

/** Questions of odd-numbered articles: rerank-learn.ts fitted the weights on the even ones. */
let heldOut: boolean[] = [];
/** Time per query of the fused reranker, alone and with first-stage scores, per set. */
const timings: Record<string, { fusion_ms_per_query: number; first_stage_ms_per_query: number }> = {};

function summarise(ranks: number[]): Scores {
  const all = summariseRanks(ranks);
  const held = summariseRanks(ranks.filter((_, i) => heldOut[i]));
  return { ...all, heldOut: { ndcg10: held.ndcg10, recall1: held.recall1 } };
}

/** Reciprocal-rank fusion of two orders of the same candidates (k = 60). */
function reciprocalRankFusion(first: number[], second: number[], k = 60): number[] {
  const score = new Map<number, number>();
  first.forEach((index, rank) => score.set(index, (score.get(index) ?? 0) + 1 / (k + rank + 1)));
  second.forEach((index, rank) => score.set(index, (score.get(index) ?? 0) + 1 / (k + rank + 1)));
  return [...score.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([index]) => index);
}

function summariseRanks(ranks: number[]): Omit<Scores, 'heldOut'> {
  const n = ranks.length || 1;
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    ndcg10: round(
      ranks.reduce((sum, rank) => sum + (rank >= 0 && rank < 10 ? 1 / Math.log2(rank + 2) : 0), 0) / n,
    ),
    recall1: round(ranks.filter((rank) => rank === 0).length / n),
    recall10: round(ranks.filter((rank) => rank >= 0 && rank < 10).length / n),
  };
}

async function measure(set: RetrievalSet): Promise<Record<string, Scores>> {
  const index = new Bm25Index();
  index.add(
    set.paragraphs.map((paragraph) => ({
      id: paragraph.id,
      text: paragraph.text,
      fields: { title: paragraph.title },
    })),
  );
  const byId = new Map(set.paragraphs.map((paragraph) => [paragraph.id, paragraph]));
  const reranker = new LexicalReranker();
  const fusion = new NgramFusionReranker({ lexical: reranker });
  const bm25Ranks: number[] = [];
  const rerankRanks: number[] = [];
  const fusionRanks: number[] = [];
  const beforeCuesRanks: number[] = [];
  const firstStageRanks: number[] = [];
  const rrfRanks: number[] = [];
  let fusionMs = 0;
  let firstStageMs = 0;
  heldOut = set.questions.map((question) => Number(question.gold.split('-')[0]) % 2 === 1);
  for (const question of set.questions) {
    const hits = index.search(question.text, { topK: POOL });
    const ids = hits.map((hit) => hit.id);
    bm25Ranks.push(ids.indexOf(question.gold));
    const documents = ids.map((id) => {
      const paragraph = byId.get(id)!;
      return `${paragraph.title}\n${paragraph.text}`;
    });
    const { results } = await reranker.doRerank({ query: question.text, documents });
    rerankRanks.push(results.map((result) => ids[result.index]).indexOf(question.gold));
    let started = performance.now();
    const fused = await fusion.doRerank({ query: question.text, documents });
    fusionMs += performance.now() - started;
    fusionRanks.push(fused.results.map((result) => ids[result.index]).indexOf(question.gold));
    const before = fusion.score(question.text, documents, undefined, beforeCues);
    const gold = ids.indexOf(question.gold);
    beforeCuesRanks.push(
      gold < 0
        ? -1
        : before.filter((score, i) => score > before[gold]! || (score === before[gold] && i < gold)).length,
    );
    const rrf = reciprocalRankFusion(
      ids.map((_, i) => i),
      fused.results.map((result) => result.index),
    );
    rrfRanks.push(rrf.map((index) => ids[index]).indexOf(question.gold));
    started = performance.now();
    const withFirst = await fusion.doRerank({
      query: question.text,
      documents,
      firstStageScores: hits.map((hit) => hit.score),
    });
    firstStageMs += performance.now() - started;
    firstStageRanks.push(withFirst.results.map((result) => ids[result.index]).indexOf(question.gold));
  }
  const perQuery = (ms: number) => Math.round((ms / (set.questions.length || 1)) * 100) / 100;
  timings[set.name] = {
    fusion_ms_per_query: perQuery(fusionMs),
    first_stage_ms_per_query: perQuery(firstStageMs),
  };
  return {
    'keel bm25 (top 50)': summarise(bm25Ranks),
    'bm25 top 50 → keel/lexical-rerank': summarise(rerankRanks),
    'bm25 top 50 → keel/lexical-ngram-rerank, weights before the sentence cues': summarise(beforeCuesRanks),
    'bm25 top 50 → keel/lexical-ngram-rerank': summarise(fusionRanks),
    'bm25 top 50 → keel/lexical-ngram-rerank, rank-fused with bm25 (RRF k=60)': summarise(rrfRanks),
    'bm25 top 50 → keel/lexical-ngram-rerank + first-stage scores': summarise(firstStageRanks),
  };
}

async function main(): Promise<void> {
  const report: Record<string, Record<string, Scores>> = {};
  const missing: string[] = [];
  for (const name of ['korquad', 'xquad'] as const) {
    let set: RetrievalSet;
    try {
      set = loadRetrievalSet(name);
    } catch (error) {
      missing.push(name);
      log(`${name}: skipped — ${(error as Error).message}`);
      continue;
    }
    const started = performance.now();
    report[name] = await measure(set);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `\n## ${name}: ${set.paragraphs.length} paragraphs, ${set.questions.length} questions (${seconds} s)`,
    );
    log(
      `keel/lexical-ngram-rerank: ${timings[name]!.fusion_ms_per_query} ms per query alone, ${timings[name]!.first_stage_ms_per_query} ms with first-stage scores (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
    );
    log('| run | nDCG@10 | recall@1 | recall@10 | held-out nDCG@10 | held-out recall@1 |');
    log('|---|---|---|---|---|---|');
    for (const [run, scores] of Object.entries(report[name]!))
      log(
        `| ${run} | ${scores.ndcg10.toFixed(4)} | ${scores.recall1.toFixed(4)} | ${scores.recall10.toFixed(4)} | ${scores.heldOut!.ndcg10.toFixed(4)} | ${scores.heldOut!.recall1.toFixed(4)} |`,
      );
  }
  log(
    JSON.stringify({
      bench: 'watsonx-rerank',
      pool: POOL,
      quality: report,
      timings,
      load_avg_1m: os.loadavg()[0],
      missing,
    }),
  );
}

await main();
