/**
 * @module rag/rerank/ngram-similarity
 * A second, vector-shaped signal for the lexical reranker: TF-IDF cosine similarity between the
 * query and each candidate over the features the hashing embedder counts (word stems, English
 * stop words dropped, Korean particles and endings stripped, plus character n-grams inside words:
 * trigrams for Latin, bigrams for Hangul and Han), but exact rather than hashed, with inverse
 * document frequencies taken over the candidate set. It is lexical, not semantic: it rewards
 * sharing word pieces (a Korean stem with a different ending, an English inflection the analyser
 * does not reduce), which term-level BM25 misses. Scores per document: the whole text and its
 * best window of two adjacent sentences (an answer sits in one place).
 */
import { englishStopwords } from '../../core/text/english-stopwords.js';
import { koreanStopwords, stripKorean } from '../../core/text/korean-morphology.js';
import { stemEnglish } from '../../core/text/porter2-stemmer.js';
import { Script, scriptRuns } from '../../core/text/scripts.js';

/** A character n-gram counts this much of a whole word (the hashing embedder's weighting). */
const GRAM_WEIGHT = 0.35;
const sentenceEnd = /(?<=[.!?。？！])\s+|\n+/u;

export type FeatureCounts = Map<string, number>;

/** Word stems and in-word character n-grams of a text, with their weighted counts. */
export function ngramFeatures(text: string): FeatureCounts {
  const counts: FeatureCounts = new Map();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  for (const { script, start, end } of scriptRuns(text)) {
    const raw = text.slice(start, end).normalize('NFKC').toLowerCase();
    let stem = '';
    if (script === Script.Latin) {
      const word = raw.endsWith("'s") ? raw.slice(0, -2) : raw;
      if (!englishStopwords.has(raw) && word) {
        stem = stemEnglish(word);
        const padded = `<${word}>`;
        for (let i = 0; i + 3 <= padded.length; i++) add(`g${padded.slice(i, i + 3)}`, GRAM_WEIGHT);
      }
    } else if (script === Script.Hangul) {
      if (!koreanStopwords.has(raw)) {
        const stripped = stripKorean(raw).stem;
        if (!koreanStopwords.has(stripped)) stem = stripped;
        for (let i = 0; i + 2 <= stem.length; i++) add(`g${stem.slice(i, i + 2)}`, GRAM_WEIGHT);
      }
    } else if (script === Script.Han) {
      for (let i = 0; i + 2 <= raw.length; i++) add(`g${raw.slice(i, i + 2)}`, GRAM_WEIGHT);
      stem = raw.length <= 4 ? raw : '';
    } else stem = raw;
    if (stem) add(`w${stem}`, 1);
  }
  return counts;
}

/** A candidate's features: the whole text and each window of two adjacent sentences. */
export interface NgramProfile {
  whole: FeatureCounts;
  windows: FeatureCounts[];
}

export function ngramProfile(text: string): NgramProfile {
  const sentences = text.split(sentenceEnd).filter((sentence) => sentence.trim());
  const perSentence = sentences.map(ngramFeatures);
  const windows: FeatureCounts[] = [];
  for (let i = 0; i < perSentence.length; i++) {
    const window = new Map(perSentence[i]);
    for (const [feature, count] of perSentence[i + 1] ?? [])
      window.set(feature, (window.get(feature) ?? 0) + count);
    windows.push(window);
    if (i + 1 >= perSentence.length - 1) break;
  }
  return { whole: ngramFeatures(text), windows: windows.length ? windows : [new Map()] };
}

/** Cosine of sublinear-TF × IDF vectors; features the query lacks add only to the document's norm. */
function cosine(
  query: Map<string, number>,
  queryNorm: number,
  doc: FeatureCounts,
  idf: (feature: string) => number,
): number {
  let dot = 0;
  let norm = 0;
  for (const [feature, count] of doc) {
    const weight = (1 + Math.log(count)) * idf(feature);
    norm += weight * weight;
    const q = query.get(feature);
    if (q) dot += q * weight;
  }
  return dot > 0 ? dot / (Math.sqrt(norm) * queryNorm) : 0;
}

export interface NgramScores {
  /** Cosine between the query and the whole candidate. */
  whole: number;
  /** Best cosine between the query and a window of two adjacent sentences. */
  window: number;
}

/**
 * Scores candidates against a query. IDF is over the candidates (a feature in every candidate
 * tells them apart no better than one in none); unseen features get the highest IDF.
 */
export function ngramSimilarity(query: string, profiles: NgramProfile[]): NgramScores[] {
  const n = profiles.length;
  const queryFeatures = ngramFeatures(query);
  const df = new Map<string, number>();
  for (const feature of queryFeatures.keys()) {
    let count = 0;
    for (const profile of profiles) if (profile.whole.has(feature)) count++;
    df.set(feature, count);
  }
  // Only the query's features count in the dot product; the others weigh in the norm as if rare.
  const idfOf = (count: number) => Math.log(1 + (n + 1) / (count + 0.5));
  const idf = new Map<string, number>();
  const queryVector = new Map<string, number>();
  let queryNorm = 0;
  for (const [feature, count] of queryFeatures) {
    const weight = idfOf(df.get(feature) ?? 0);
    idf.set(feature, weight);
    const q = (1 + Math.log(count)) * weight;
    queryVector.set(feature, q);
    queryNorm += q * q;
  }
  queryNorm = Math.sqrt(queryNorm) || 1;
  const background = idfOf(1);
  const weightOf = (feature: string) => idf.get(feature) ?? background;
  return profiles.map((profile) => {
    let window = 0;
    for (const features of profile.windows)
      window = Math.max(window, cosine(queryVector, queryNorm, features, weightOf));
    return { whole: cosine(queryVector, queryNorm, profile.whole, weightOf), window };
  });
}
