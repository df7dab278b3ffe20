/**
 * @module spec/analyzer
 * The analyser port, version 1: turns text into index terms for keyword search. One analyser per
 * language family (English, Korean, other CJK) plus a multilingual one that routes each token by
 * its script, so mixed Korean–English text is handled token by token.
 */

/** ISO 639-1 codes for the languages Keel analyses specially; `und` when undetermined. */
export type LanguageCode = 'ko' | 'en' | 'ja' | 'zh' | 'und';

export interface AnalyzedToken {
  /** The normalised index term. */
  term: string;
  /** Character offsets of the source text this term came from (`text.slice(start, end)`). */
  start: number;
  end: number;
}

export interface LanguageDetection {
  language: LanguageCode;
  /** Share of letters per script (Hangul, Han, Kana, Latin, other), summing to 1 when any letters exist. */
  scripts: { hangul: number; han: number; kana: number; latin: number; other: number };
}

export interface AnalyzerV1 {
  readonly specificationVersion: 'v1';
  /** Stable name stored with persisted indexes, e.g. `multilingual-v1`; a change means re-indexing. */
  readonly name: string;
  /** Index terms for `text`, in order, duplicates kept (term frequency matters). */
  analyze(text: string): string[];
  /** Index terms with their source spans (highlighting, citations). */
  tokens(text: string): AnalyzedToken[];
  /** Dominant language of `text`, from script ratios. */
  detectLanguage(text: string): LanguageDetection;
}
