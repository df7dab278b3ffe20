/**
 * @module rag/analysis/text-analyzer
 * The analysis engine behind every `AnalyzerV1` Keel ships: text is cut into runs of one script
 * and each run goes through its language's pipeline —
 * - Latin: NFKC, lowercase, possessive 's dropped, English stop words, Porter2 stemming;
 * - Hangul: NFKC, particle/ending stripping, character bigrams of the word plus the stripped stem
 *   as one whole-word term (bigrams find compounds and unknown words; the stem rewards exact words);
 * - Han and Kana: character bigrams (Lucene's CJK analyser), a lone character as a unigram;
 * - other alphabets: lowercase words.
 */

import { englishStopwords } from '../../core/text/english-stopwords.js';
import { koreanStopwords, stripKorean } from '../../core/text/korean-morphology.js';
import { stemEnglish } from '../../core/text/porter2-stemmer.js';
import { detectLanguage, Script, scriptRuns } from '../../core/text/scripts.js';
import type { AnalyzedToken, AnalyzerV1, LanguageDetection } from '../../spec/analyzer.js';

export interface TextAnalyzerOptions {
  name: string;
  /** Latin words: `english` stems and drops stop words; `plain` only lowercases. */
  latin?: 'english' | 'plain';
  /**
   * Hangul words: `korean` strips particles and endings; `bigram` indexes bare character bigrams.
   */
  hangul?: 'korean' | 'bigram';
  /** Korean: also index the stripped stem as one term (default true). */
  koreanStemTerm?: boolean;
  /** Korean: take bigrams over the stripped stem rather than the whole word (default false). */
  koreanStemBigrams?: boolean;
  /** Korean: character trigrams as well as bigrams. */
  koreanTrigrams?: boolean;
  /** Also index adjacent word stems as one term (`a_b`), within a sentence: rewards phrases. */
  shingles?: boolean;
}

type Emit = (term: string, start: number, end: number) => void;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function emitBigrams(word: string, start: number, end: number, emit: Emit): void {
  // When NFKC changed the length, offsets fall back to the run's span.
  const exact = end - start === word.length;
  if (word.length === 1) {
    emit(word, start, end);
    return;
  }
  for (let i = 0; i + 1 < word.length; i++) {
    emit(word.slice(i, i + 2), exact ? start + i : start, exact ? start + i + 2 : end);
  }
}

/** Builds an analyser from per-script pipelines; see the module notes. */
export function createTextAnalyzer(options: TextAnalyzerOptions): AnalyzerV1 {
  const latin = options.latin ?? 'english';
  const hangul = options.hangul ?? 'korean';
  const stemTerm = options.koreanStemTerm ?? true;
  const stemBigrams = options.koreanStemBigrams ?? false;

  /** Emits a Latin word's term; returns it ('' for a stop word). */
  function latinWord(raw: string, start: number, end: number, emit: Emit): string {
    let word = isAscii(raw) ? raw.toLowerCase() : raw.normalize('NFKC').toLowerCase();
    if (word.includes('\u2019')) word = word.replaceAll('\u2019', "'");
    if (latin === 'plain') {
      emit(word, start, end);
      return word;
    }
    if (englishStopwords.has(word)) return '';
    if (word.endsWith("'s")) word = word.slice(0, -2);
    if (word.length === 0 || englishStopwords.has(word)) return '';
    const stem = stemEnglish(word);
    emit(stem, start, end);
    return stem;
  }

  /** Emits a Hangul word's terms; returns its stem ('' for a stop word). */
  function hangulWord(raw: string, start: number, end: number, emit: Emit): string {
    const word = raw.normalize('NFKC');
    if (hangul === 'bigram') {
      emitBigrams(word, start, end, emit);
      return word;
    }
    if (koreanStopwords.has(word)) return '';
    const { stem } = stripKorean(word);
    if (koreanStopwords.has(stem)) return '';
    const bigramSource = stemBigrams ? stem : word;
    if (bigramSource.length > 1) emitBigrams(bigramSource, start, start + bigramSource.length, emit);
    if (options.koreanTrigrams) {
      for (let i = 0; i + 2 < bigramSource.length; i++)
        emit(bigramSource.slice(i, i + 3), start + i, start + i + 3);
    }
    // A two-syllable stem equals one of the word's bigrams: indexing it again would double-count it.
    if (stemTerm && stem.length > 0 && !(stem.length === 2 && bigramSource.startsWith(stem))) {
      emit(stem, start, start + stem.length);
    } else if (!stemTerm && bigramSource.length === 1) {
      emit(bigramSource, start, end);
    }
    return stem;
  }

  function run(text: string, emit: Emit): void {
    let previous = '';
    let previousEnd = 0;
    for (const { script, start, end } of scriptRuns(text)) {
      const raw = text.slice(start, end);
      if (options.shingles && (script === Script.Latin || script === Script.Hangul)) {
        if (/[.?!。\n]/.test(text.slice(previousEnd, start))) previous = '';
        const last =
          script === Script.Latin ? latinWord(raw, start, end, emit) : hangulWord(raw, start, end, emit);
        if (last) {
          if (previous) emit(`${previous}_${last}`, start, end);
          previous = last;
        }
        previousEnd = end;
        continue;
      }
      if (script === Script.Latin) latinWord(raw, start, end, emit);
      else if (script === Script.Hangul) hangulWord(raw, start, end, emit);
      else if (script === Script.Han) emitBigrams(raw.normalize('NFKC'), start, end, emit);
      else emit(raw.normalize('NFKC').toLowerCase(), start, end);
    }
  }

  return {
    specificationVersion: 'v1',
    name: options.name,
    analyze(text: string): string[] {
      const terms: string[] = [];
      run(text, (term) => terms.push(term));
      return terms;
    },
    tokens(text: string): AnalyzedToken[] {
      const tokens: AnalyzedToken[] = [];
      run(text, (term, start, end) => tokens.push({ term, start, end }));
      return tokens;
    },
    detectLanguage(text: string): LanguageDetection {
      return detectLanguage(text);
    },
  };
}
