/**
 * @module rag/rerank/lexical-reranker
 * Keel's built-in lexical reranker (`keel/lexical-rerank`): no model, works offline. It re-scores
 * a candidate list (typically a first stage's top 50) with what a bag-of-words first stage does
 * not see:
 * - BM25 over the candidates themselves (the inverse document frequencies of this candidate set);
 * - the best sentence: the IDF-weighted share of the query's terms found in one sentence (an
 *   answer usually sits in one sentence, not spread over a paragraph);
 * - proximity: the shortest window of tokens holding the matched query terms;
 * - phrase matches: adjacent query terms adjacent in the document (the analyser's shingles);
 * - character trigrams of the query in the best sentence (catches inflections the analyser misses),
 *   and character bigrams (short Korean words, whose trigram is the whole word with its particle);
 * - the best two adjacent sentences, how tightly the terms sit within one sentence, the query's
 *   coverage of the whole document, and a question-type cue (a question asking when or how many,
 *   and a digit in the best sentence).
 * - the sentence cues of sentence-cues.ts: the best three sentences, a short answer sentence, a
 *   verbatim run of the question, the rarest term missing or present, the first line (a title),
 *   and what the question asks for (a place, a person, a year) in the best sentence.
 * The signals are scaled to 0–1 and summed with weights; see `defaultLexicalWeights` (this model's
 * own five) and `ngram-fusion-reranker.ts` (all of them, fitted).
 * Terms come from the multilingual analyser, so Korean particles and endings are stripped and
 * compounds match through character bigrams.
 */
import type { AnalyzerV1 } from '../../spec/analyzer.js';
import type { RerankModelV1, RerankOptions, RerankResult } from '../../spec/rerank-model.js';
import { createMultilingualAnalyzer } from '../analysis/analyzers.js';
import {
  answerKind,
  type CueQuery,
  hasTitleLine,
  noCues,
  rarestPresent,
  type SentenceCues,
  sentenceCues,
  wordTrigrams,
} from './sentence-cues.js';

export const LEXICAL_RERANK_MODEL = 'keel/lexical-rerank';

export interface LexicalRerankWeights {
  bm25: number;
  chars: number;
  sentence: number;
  proximity: number;
  phrase: number;
}

/** Chosen on KorQuAD and XQuAD (bench/watsonx/rerank.ts); proximity and phrases did not help there. */
export const defaultLexicalWeights: LexicalRerankWeights = {
  bm25: 1,
  chars: 0.5,
  sentence: 0.5,
  proximity: 0,
  phrase: 0,
};

interface Analysed {
  /** The sentences' raw text. */
  parts: string[];
  /** Whether the first part is a title line (sentence-cues.ts). */
  titled: boolean;
  terms: string[];
  counts: Map<string, number>;
  sentences: Set<string>[];
  /** Each sentence's terms in order (for proximity within a sentence). */
  sentenceTerms: string[][];
  /** Character bigrams per sentence (letters and digits only, lowercased). */
  bigrams: Set<string>[];
  allBigrams: Set<string>;
  /** Whether each sentence holds a digit. */
  digits: boolean[];
  /** Character trigrams per sentence (letters and digits only, lowercased). */
  grams: Set<string>[];
  allGrams: Set<string>;
}

/** Character n-grams of each word (a shorter word whole), letters and digits only, lowercased. */
function charGrams(text: string, size: number): Set<string> {
  const compact = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  const grams = new Set<string>();
  for (const word of compact.split(' ')) {
    if (word.length < size) {
      if (word) grams.add(word);
      continue;
    }
    for (let i = 0; i + size <= word.length; i++) grams.add(word.slice(i, i + size));
  }
  return grams;
}

const trigrams = (text: string) => charGrams(text, 3);

/**
 * Whether a question asks for a number, a date or a quantity (English and Korean cues): the
 * sentence that answers it usually holds a digit.
 */
const asksForNumber =
  /\b(when|how (many|much|long|old|far|tall|large|big|high)|what (year|date|percentage|age|number)|in what year|which year)\b|언제|몇|얼마|연도|년도|며칠/iu;

/** Signals of one document, each scaled to 0–1. */
export interface RerankFeatures extends SentenceCues {
  bm25: number;
  /** IDF-weighted share of the query's character trigrams in the best sentence. */
  chars: number;
  sentence: number;
  proximity: number;
  phrase: number;
  /** IDF-weighted share of the query's character bigrams in the best sentence (short Korean words). */
  bigrams: number;
  /** IDF-weighted share of the query's terms in the best two adjacent sentences. */
  pair: number;
  /** Within one sentence: its IDF-weighted share of the query's terms times how tightly they sit. */
  tight: number;
  /** IDF-weighted share of the query's terms anywhere in the document. */
  coverage: number;
  /** The question asks for a number or a date, and the best sentence holds a digit. */
  numeric: number;
}

const CACHE_SIZE = 4_096;
const sentenceEnd = /(?<=[.!?。？！])\s+|\n+/u;

export class LexicalReranker implements RerankModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'keel';
  readonly modelId = 'lexical-rerank';
  readonly #analyzer: AnalyzerV1;
  readonly #weights: LexicalRerankWeights;
  /** Analysed documents, least recently used dropped first: a corpus's paragraphs recur across queries. */
  readonly #cache = new Map<string, Analysed>();

  constructor(options: { analyzer?: AnalyzerV1; weights?: Partial<LexicalRerankWeights> } = {}) {
    this.#analyzer = options.analyzer ?? createMultilingualAnalyzer();
    this.#weights = { ...defaultLexicalWeights, ...options.weights };
  }

  #analyse(text: string): Analysed {
    const terms = this.#analyzer.analyze(text);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    const parts = text.split(sentenceEnd).filter((sentence) => sentence.trim());
    const sentenceTerms = parts.map((sentence) => this.#analyzer.analyze(sentence));
    const sentences = sentenceTerms.map((terms) => new Set(terms));
    const grams = parts.map(trigrams);
    const allGrams = new Set(grams.flatMap((set) => [...set]));
    const bigrams = parts.map((sentence) => charGrams(sentence, 2));
    const allBigrams = new Set(bigrams.flatMap((set) => [...set]));
    const digits = parts.map((sentence) => /\p{N}/u.test(sentence));
    return {
      parts,
      titled: hasTitleLine(text),
      terms,
      counts,
      sentences,
      sentenceTerms,
      bigrams,
      allBigrams,
      digits,
      grams,
      allGrams,
    };
  }

  #cached(text: string): Analysed {
    let analysed = this.#cache.get(text);
    if (analysed) {
      this.#cache.delete(text);
    } else {
      analysed = this.#analyse(text);
      if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(text, analysed);
    return analysed;
  }

  /** The raw signals per document (BM25 over the candidates, best sentence, proximity, phrases). */
  features(query: string, documents: string[]): RerankFeatures[] {
    const queryTerms = [...new Set(this.#analyzer.analyze(query))];
    if (queryTerms.length === 0)
      return documents.map(() => ({
        bm25: 0,
        chars: 0,
        sentence: 0,
        proximity: 0,
        phrase: 0,
        bigrams: 0,
        pair: 0,
        tight: 0,
        coverage: 0,
        numeric: 0,
        ...noCues,
      }));
    const docs = documents.map((document) => this.#cached(document));
    const n = docs.length;
    const idf = new Map<string, number>();
    for (const term of queryTerms) {
      let df = 0;
      for (const doc of docs) if (doc.counts.has(term)) df++;
      idf.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
    const totalIdf = queryTerms.reduce((sum, term) => sum + idf.get(term)!, 0) || 1;
    const averageLength = docs.reduce((sum, doc) => sum + doc.terms.length, 0) / n || 1;
    const k1 = 1.2;
    const b = 0.75;
    const phrases = queryTerms.filter((term) => term.includes('_'));
    const queryGrams = [...trigrams(query)];
    const gramIdf = new Map<string, number>();
    for (const gram of queryGrams) {
      let df = 0;
      for (const doc of docs) if (doc.allGrams.has(gram)) df++;
      gramIdf.set(gram, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
    const totalGramIdf = queryGrams.reduce((sum, gram) => sum + gramIdf.get(gram)!, 0) || 1;
    const queryBigrams = [...charGrams(query, 2)];
    const bigramIdf = new Map<string, number>();
    for (const gram of queryBigrams) {
      let df = 0;
      for (const doc of docs) if (doc.allBigrams.has(gram)) df++;
      bigramIdf.set(gram, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
    const totalBigramIdf = queryBigrams.reduce((sum, gram) => sum + bigramIdf.get(gram)!, 0) || 1;
    const wantsNumber = asksForNumber.test(query);
    const cueQuery: CueQuery = {
      text: query,
      terms: queryTerms,
      idf,
      bigrams: queryBigrams,
      bigramIdf,
      wordGrams: wordTrigrams(query),
    };
    const rarest = rarestPresent(cueQuery, docs);
    const kind = answerKind(query);
    // Proximity looks at single terms (not the analyser's shingles).
    const wanted = new Set(queryTerms.filter((term) => !term.includes('_')));
    const raw = docs.map((doc) => {
      let bm25 = 0;
      for (const term of queryTerms) {
        const tf = doc.counts.get(term) ?? 0;
        if (tf)
          bm25 +=
            (idf.get(term)! * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.terms.length) / averageLength));
      }
      let sentence = 0;
      let best = 0;
      let tight = 0;
      doc.sentences.forEach((terms, index) => {
        let covered = 0;
        for (const term of queryTerms) if (terms.has(term)) covered += idf.get(term)!;
        if (covered > sentence) {
          sentence = covered;
          best = index;
        }
        if (covered > 0) {
          const share = covered / totalIdf;
          const close = proximity(doc.sentenceTerms[index]!, wanted);
          if (share * (0.5 + close) > tight) tight = share * (0.5 + close);
        }
      });
      let pair = 0;
      for (let i = 0; i < doc.sentences.length; i++) {
        const next = doc.sentences[i + 1];
        let covered = 0;
        for (const term of queryTerms)
          if (doc.sentences[i]!.has(term) || next?.has(term)) covered += idf.get(term)!;
        if (covered > pair) pair = covered;
      }
      let coverage = 0;
      for (const term of queryTerms) if (doc.counts.has(term)) coverage += idf.get(term)!;
      let bigrams = 0;
      for (const grams of doc.bigrams) {
        let covered = 0;
        for (const gram of queryBigrams) if (grams.has(gram)) covered += bigramIdf.get(gram)!;
        if (covered > bigrams) bigrams = covered;
      }
      let chars = 0;
      for (const grams of doc.grams) {
        let covered = 0;
        for (const gram of queryGrams) if (grams.has(gram)) covered += gramIdf.get(gram)!;
        if (covered > chars) chars = covered;
      }
      let phrase = 0;
      for (const term of phrases) if (doc.counts.has(term)) phrase += idf.get(term)!;
      return {
        bm25,
        chars: chars / totalGramIdf,
        sentence: sentence / totalIdf,
        proximity: proximity(doc.terms, wanted),
        phrase,
        bigrams: bigrams / totalBigramIdf,
        pair: pair / totalIdf,
        tight: tight / 1.5,
        coverage: coverage / totalIdf,
        numeric: wantsNumber && doc.digits[best] ? 1 : 0,
        ...sentenceCues(cueQuery, doc, rarest, kind),
      };
    });
    const maxBm25 = Math.max(...raw.map((r) => r.bm25)) || 1;
    const maxPhrase = Math.max(...raw.map((r) => r.phrase)) || 1;
    return raw.map((r) => ({ ...r, bm25: r.bm25 / maxBm25, phrase: r.phrase / maxPhrase }));
  }

  /** Scores every document; higher is better. */
  score(query: string, documents: string[]): number[] {
    const w = this.#weights;
    return this.features(query, documents).map(
      (f) =>
        w.bm25 * f.bm25 +
        w.chars * f.chars +
        w.sentence * f.sentence +
        w.proximity * f.proximity +
        w.phrase * f.phrase,
    );
  }

  async doRerank(options: RerankOptions): Promise<RerankResult> {
    options.abortSignal?.throwIfAborted();
    const scores = this.score(options.query, options.documents);
    const results = scores
      .map((score, index) => ({ index, score: Math.round(score * 1e6) / 1e6 }))
      .sort((a, b) => b.score - a.score || a.index - b.index);
    const inputTokens =
      this.#analyzer.analyze(options.query).length +
      options.documents.reduce((sum, document) => sum + this.#analyzer.analyze(document).length, 0);
    return {
      results: options.topN !== undefined ? results.slice(0, options.topN) : results,
      usage: { inputTokens },
    };
  }
}

/**
 * Matched distinct query terms over the shortest token window holding them all, times the share
 * of the query's terms matched; 0 when fewer than two terms match.
 */
function proximity(terms: string[], wanted: ReadonlySet<string>): number {
  const present = new Set<string>();
  for (const term of terms) if (wanted.has(term)) present.add(term);
  if (present.size < 2) return 0;
  const inWindow = new Map<string, number>();
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (let right = 0; right < terms.length; right++) {
    const term = terms[right]!;
    if (!present.has(term)) continue;
    inWindow.set(term, (inWindow.get(term) ?? 0) + 1);
    while (inWindow.size === present.size) {
      best = Math.min(best, right - left + 1);
      const leaving = terms[left]!;
      if (present.has(leaving)) {
        const count = inWindow.get(leaving)! - 1;
        if (count === 0) inWindow.delete(leaving);
        else inWindow.set(leaving, count);
      }
      left++;
    }
  }
  const coverage = present.size / wanted.size;
  return (coverage * present.size) / Math.max(best, present.size);
}
