/**
 * @module bench/watsonx/rerank-assoc-learn
 * Measures a learned term-association (translation) feature for `keel/lexical-ngram-rerank`, the
 * Berger & Lafferty translation language model: IBM Model 1 fitted by EM on the TUNING half's
 * (question, answer-bearing sentence of the gold paragraph) pairs learns t(q | w), how likely a
 * question term q is written for a passage term w (analyser terms, shingles left out; Korean
 * words come with their character bigrams). A candidate then scores, per query term,
 * log(λ·Σ_w t(q|w)·tf(w)/len + (1−λ)·tf(q)/len + ε), averaged over the query's terms, for its best
 * sentence and for the whole passage; each scaled to 0–1 over the candidates.
 *
 * Honest by construction: the table that scores a TUNING question is learned without that
 * question's article group (4 folds over the even-numbered articles: cross-fitting, so the fused
 * weights do not learn to trust a table that has memorised their own questions); the HELD-OUT
 * questions (odd-numbered articles) are scored with the table learned on the whole tuning half.
 * The fused weights are fitted on the tuning half (rerank-fit.ts) and reported on the held-out
 * half, beside the same fit without the feature. Answer strings are read only to pick the
 * training sentence; nothing at query time sees them.
 *
 * Nothing is written: KorQuAD is CC BY-ND (no derivatives), so a table learned from it cannot
 * ship in the repository (decision 0053).
 * Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/watsonx/rerank-assoc-learn.ts     (KEEL_DATASETS=<dir>, KEEL_RERANK_SIGNALS=<file>
 *   as for rerank-learn.ts)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMultilingualAnalyzer } from '../../src/rag/analysis/analyzers.js';
import { datasetsDir, loadRetrievalSet } from '../rag/datasets.js';
import {
  BEFORE_CUES,
  evaluate,
  fitWeights,
  loadQuestions,
  type Question,
  rankOf,
  refineForRecall,
  round,
  SIGNALS,
} from './rerank-fit.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const sentenceEnd = /(?<=[.!?。？！])\s+|\n+/u;
const analyzer = createMultilingualAnalyzer();
const termsOf = (text: string) => analyzer.analyze(text).filter((term) => !term.includes('_'));

/** EM settings: a term seen in fewer pairs than this is left out (it cannot generalise). */
const MIN_PAIRS = 5;
const ITERATIONS = 5;
/** Pruning: associations below this probability are dropped. */
const MIN_PROBABILITY = 0.02;
const LAMBDA = 0.5;
const FOLDS = 4;
const NULL = '\u0000';

type Table = Map<string, Map<string, number>>;
interface Pair {
  question: string[];
  sentence: string[];
  fold: number;
}

function rowOf(table: Table, key: string): Map<string, number> {
  let row = table.get(key);
  if (!row) {
    row = new Map();
    table.set(key, row);
  }
  return row;
}

/** IBM Model 1, the sentence generating the question: t(q | w), returned as q → (w → t). */
function learnAssociations(pairs: Pair[]): Table {
  const questionPairs = new Map<string, number>();
  const sentencePairs = new Map<string, number>();
  for (const pair of pairs) {
    for (const q of pair.question) questionPairs.set(q, (questionPairs.get(q) ?? 0) + 1);
    for (const w of new Set(pair.sentence)) sentencePairs.set(w, (sentencePairs.get(w) ?? 0) + 1);
  }
  const kept = pairs
    .map((pair) => ({
      question: pair.question.filter((q) => questionPairs.get(q)! >= MIN_PAIRS),
      sentence: [...pair.sentence.filter((w) => sentencePairs.get(w)! >= MIN_PAIRS), NULL],
    }))
    .filter((pair) => pair.question.length > 0);
  let t: Table = new Map();
  for (const pair of kept)
    for (const w of pair.sentence) {
      const row = rowOf(t, w);
      for (const q of pair.question) row.set(q, 1);
    }
  for (const row of t.values()) for (const q of row.keys()) row.set(q, 1 / row.size);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const counts: Table = new Map();
    for (const pair of kept)
      for (const q of pair.question) {
        let total = 0;
        for (const w of pair.sentence) total += t.get(w)!.get(q)!;
        for (const w of pair.sentence) {
          const row = rowOf(counts, w);
          row.set(q, (row.get(q) ?? 0) + t.get(w)!.get(q)! / total);
        }
      }
    for (const row of counts.values()) {
      let total = 0;
      for (const value of row.values()) total += value;
      for (const [q, value] of row) row.set(q, value / total);
    }
    t = counts;
  }
  const byQuestionTerm: Table = new Map();
  for (const [w, row] of t) {
    if (w === NULL) continue;
    for (const [q, p] of row) {
      if (p < MIN_PROBABILITY) continue;
      rowOf(byQuestionTerm, q).set(w, p);
    }
  }
  return byQuestionTerm;
}

/** The translation log-likelihood of the query terms for one bag of passage terms, per term. */
function likelihood(table: Table, query: string[], bag: string[]): number {
  const tf = new Map<string, number>();
  for (const w of bag) tf.set(w, (tf.get(w) ?? 0) + 1);
  const length = bag.length || 1;
  let total = 0;
  for (const q of query) {
    let translated = 0;
    const row = table.get(q);
    if (row) for (const [w, count] of tf) translated += (row.get(w) ?? 0) * count;
    total += Math.log((LAMBDA * translated + (1 - LAMBDA) * (tf.get(q) ?? 0)) / length + 1e-3);
  }
  return total / (query.length || 1);
}

function scaleMinMax(values: number[]): Float64Array {
  const max = Math.max(...values);
  const min = Math.min(...values);
  return Float64Array.from(values, (value) => (max > min ? (value - min) / (max - min) : 0));
}

/** The sentence of `text` holding character `offset`, or undefined. */
function sentenceAt(text: string, offset: number): string | undefined {
  let from = 0;
  for (const part of text.split(sentenceEnd)) {
    const at = text.indexOf(part, from);
    if (offset >= at && offset < at + part.length + 1) return part.trim() ? part : undefined;
    from = at + part.length;
  }
  return undefined;
}

function trigramSet(text: string): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) grams.add(text.slice(i, i + 3));
  return grams;
}

/**
 * What the misses of `weights` are: the gold outside the pool; the first candidate holding the
 * answer string (a near-duplicate when it holds ≥ 80% of the smaller one's character trigrams);
 * otherwise whether it shares the gold's title, and, per signal, how many of those misses it
 * favours the gold (+1) or the first candidate (−1).
 */
function missBreakdown(
  questions: Question[],
  weights: Float64Array,
  use: number[],
  names: string[],
  read: (q: Question, candidate: number) => { text: string; answer: string },
) {
  const out = {
    questions: questions.length,
    outsidePool: 0,
    misranked: 0,
    answerInFirst: 0,
    nearDuplicate: 0,
  };
  const other = { count: 0, sameTitle: 0, favoursGold: {} as Record<string, number> };
  for (const q of questions) {
    if (q.gold < 0) {
      out.outsidePool++;
      continue;
    }
    const scores = q.candidates.map((_, c) =>
      use.reduce((sum, s) => sum + weights[s]! * q.signals[s]![c]!, 0),
    );
    const first = scores.indexOf(Math.max(...scores));
    if (rankOf(q, weights, use) === 0) continue;
    out.misranked++;
    const gold = read(q, q.gold);
    const top = read(q, first);
    const body = (t: string) => t.slice(t.indexOf('\n') + 1);
    if (body(top.text).includes(gold.answer)) {
      out.answerInFirst++;
      const [a, b] = [trigramSet(body(gold.text)), trigramSet(body(top.text))];
      let shared = 0;
      for (const gram of a) if (b.has(gram)) shared++;
      if (shared / Math.min(a.size, b.size) >= 0.8) out.nearDuplicate++;
      continue;
    }
    other.count++;
    if (gold.text.split('\n')[0] === top.text.split('\n')[0]) other.sameTitle++;
    names.forEach((name, s) => {
      const sign = Math.sign(q.signals[s]![q.gold]! - q.signals[s]![first]!);
      other.favoursGold[name] = (other.favoursGold[name] ?? 0) + sign;
    });
  }
  log(
    `KorQuAD held-out misses of the shipped model: ${JSON.stringify(out)}; the others: ${other.count}, ${other.sameTitle} of them the gold's article; per signal, gold-favoured minus first-favoured: ${JSON.stringify(other.favoursGold)}`,
  );
  return { ...out, other };
}

interface Squad {
  data: { paragraphs: { qas: { id: string; answers: { answer_start: number; text: string }[] }[] }[] }[];
}

const files = { korquad: 'rag-ko-korquad-v1-dev/KorQuAD_v1.0_dev.json', xquad: 'rag-en-xquad/xquad.en.json' };

async function main(): Promise<void> {
  const started = performance.now();
  const all: Question[] = loadQuestions();
  if (all.some((q) => !q.candidates))
    throw new Error('KEEL_RERANK_SIGNALS holds signals without candidate ids (an older cache): delete it.');
  const text = new Map<string, string>();
  const question = new Map<string, string>();
  const answers = new Map<string, { answer_start: number; text: string }>();
  for (const name of ['korquad', 'xquad'] as const) {
    const set = loadRetrievalSet(name);
    for (const p of set.paragraphs) text.set(`${name}:${p.id}`, `${p.title}\n${p.text}`);
    for (const q of set.questions) question.set(`${name}:${q.id}`, q.text);
    const squad = JSON.parse(readFileSync(path.join(datasetsDir(), files[name]), 'utf8')) as Squad;
    for (const article of squad.data)
      for (const paragraph of article.paragraphs)
        for (const qa of paragraph.qas) answers.set(`${name}:${qa.id}`, qa.answers[0]!);
  }
  const articleOf = (q: Question) => Number(q.candidates[q.gold]?.split('-')[0] ?? -1);
  const foldOf = (q: Question) => Math.floor(articleOf(q) / 2) % FOLDS;
  const pairs: Pair[] = [];
  for (const q of all) {
    if (q.split !== 'tune' || q.gold < 0) continue;
    const gold = text.get(`${q.set}:${q.candidates[q.gold]}`)!;
    const title = gold.indexOf('\n') + 1;
    const sentence = sentenceAt(gold.slice(title), answers.get(`${q.set}:${q.id}`)!.answer_start);
    if (!sentence) continue;
    pairs.push({
      question: [...new Set(termsOf(question.get(`${q.set}:${q.id}`)!))],
      sentence: termsOf(sentence),
      fold: foldOf(q),
    });
  }
  const full = learnAssociations(pairs);
  const folds = Array.from({ length: FOLDS }, (_, f) => learnAssociations(pairs.filter((p) => p.fold !== f)));
  let entries = 0;
  for (const row of full.values()) entries += row.size;
  const bytes = JSON.stringify(
    Object.fromEntries([...full].map(([q, row]) => [q, Object.fromEntries(row)])),
  ).length;
  log(
    `${pairs.length} training pairs; table: ${full.size} question terms, ${entries} associations, ${bytes} bytes as JSON`,
  );
  const analysed = new Map<string, string[][]>();
  const sentencesOf = (id: string) => {
    let sentences = analysed.get(id);
    if (!sentences) {
      sentences = text
        .get(id)!
        .split(sentenceEnd)
        .filter((s) => s.trim())
        .map(termsOf);
      analysed.set(id, sentences);
    }
    return sentences;
  };
  let featureMs = 0;
  /** Best sentence and whole passage under a table, each scaled to 0–1 over the candidates. */
  const features = (q: Question, table: Table, query: string[]) => {
    const scores = q.candidates.map((id) => {
      const sentences = sentencesOf(`${q.set}:${id}`);
      let best = Number.NEGATIVE_INFINITY;
      for (const sentence of sentences) best = Math.max(best, likelihood(table, query, sentence));
      return [best, likelihood(table, query, sentences.flat())] as const;
    });
    return [scaleMinMax(scores.map((s) => s[0])), scaleMinMax(scores.map((s) => s[1]))];
  };
  const empty: Table = new Map();
  const withAssoc: Question[] = all.map((q) => {
    const table = q.split === 'tune' && q.gold >= 0 ? folds[foldOf(q)]! : full;
    const query = [...new Set(termsOf(question.get(`${q.set}:${q.id}`)!))];
    const begun = performance.now();
    const learned = features(q, table, query);
    featureMs += performance.now() - begun;
    // The control: the same query likelihood with no associations (exact terms only).
    return { ...q, signals: [...q.signals, ...learned, ...features(q, empty, query)] };
  });
  const names = [...SIGNALS, 'assocSentence', 'assocPassage', 'exactSentence', 'exactPassage'];
  const index = (list: string[]) => list.map((name) => names.indexOf(name));
  const part = (set: string, split: string) => withAssoc.filter((q) => q.set === set && q.split === split);
  const tune = withAssoc.filter((q) => q.split === 'tune');
  const tuneSets = [part('korquad', 'tune'), part('xquad', 'tune')];
  const shipped = [...BEFORE_CUES, 'first', 'firstRank'];
  const shippedName = 'shipped signals (with first stage)';
  const models: Record<string, string[]> = {
    [shippedName]: shipped,
    '+ query likelihood, best sentence, no associations (control)': [...shipped, 'exactSentence'],
    '+ association, best sentence': [...shipped, 'assocSentence'],
    '+ association, sentence and passage': [...shipped, 'assocSentence', 'assocPassage'],
  };
  const report: Record<string, unknown> = {};
  log('| model | fit | KorQuAD R@1 held-out | KorQuAD R@1 tune | XQuAD R@1 held-out | XQuAD R@1 tune |');
  log('|---|---|---|---|---|---|');
  for (const [name, signals] of Object.entries(models)) {
    const use = index(signals);
    const fitted = fitWeights(tune, use);
    for (const [how, weights] of [
      ['listwise', fitted],
      ['refined for R@1', refineForRecall(tuneSets, fitted, use)],
    ] as const) {
      const row: Record<string, number> = {};
      for (const set of ['korquad', 'xquad'])
        for (const split of ['held-out', 'tune'])
          row[`${set}/${split}`] = round(evaluate(part(set, split), weights, use).recall1);
      log(
        `| ${name} | ${how} | ${row['korquad/held-out']} | ${row['korquad/tune']} | ${row['xquad/held-out']} | ${row['xquad/tune']} |`,
      );
      report[`${name}, ${how}`] = row;
      if (name === shippedName && how === 'refined for R@1')
        report.misses = missBreakdown(part('korquad', 'held-out'), weights, use, names, (q, c) => ({
          text: text.get(`${q.set}:${q.candidates[c]}`)!,
          answer: answers.get(`${q.set}:${q.id}`)!.text,
        }));
    }
  }
  log(
    JSON.stringify({
      bench: 'watsonx-rerank-assoc-learn',
      pairs: pairs.length,
      table: { question_terms: full.size, associations: entries, json_bytes: bytes },
      feature_ms_per_query: round(featureMs / all.length, 3),
      seconds: round((performance.now() - started) / 1000, 1),
      models: report,
    }),
  );
}

await main();
