/**
 * @module rag/analysis/analyzers
 * The analysers Keel ships, by name. `multilingual-v1` is the default: it routes every token by
 * script, so one index serves Korean, English and mixed text. Names are stored with persisted
 * indexes; changing what a name produces means a new name.
 *
 * @example
 * const analyzer = getAnalyzer('multilingual-v1');
 * analyzer.analyze('페미니즘은 running'); // ['페미', '미니', '니즘', '즘은', '페미니즘', 'run']
 */
import { KeelError } from '../../core/errors.js';
import type { AnalyzerV1 } from '../../spec/analyzer.js';
import { createTextAnalyzer } from './text-analyzer.js';

/** English: lowercase, stop words, Porter2; other scripts lowercased words or bigrams. */
export function createEnglishAnalyzer(): AnalyzerV1 {
  return createTextAnalyzer({ name: 'english-v1', latin: 'english', hangul: 'bigram', shingles: true });
}

/** Korean: particle and ending stripping, word bigrams plus the stem; Latin words kept plain. */
export function createKoreanAnalyzer(): AnalyzerV1 {
  return createTextAnalyzer({ name: 'korean-v1', latin: 'plain', hangul: 'korean', shingles: true });
}

/** Chinese and Japanese: character bigrams (Lucene's CJK analyser); Latin words kept plain. */
export function createCjkAnalyzer(): AnalyzerV1 {
  return createTextAnalyzer({ name: 'cjk-v1', latin: 'plain', hangul: 'bigram' });
}

/** Every script through its own pipeline: the default. */
export function createMultilingualAnalyzer(): AnalyzerV1 {
  return createTextAnalyzer({ name: 'multilingual-v1', latin: 'english', hangul: 'korean', shingles: true });
}

const factories: Record<string, () => AnalyzerV1> = {
  'english-v1': createEnglishAnalyzer,
  'korean-v1': createKoreanAnalyzer,
  'cjk-v1': createCjkAnalyzer,
  'multilingual-v1': createMultilingualAnalyzer,
};

/** Names accepted by `getAnalyzer`. */
export const analyzerNames = Object.keys(factories);

/** The analyser registered under `name`; `invalid_request` for an unknown name. */
export function getAnalyzer(name: string): AnalyzerV1 {
  const factory = factories[name];
  if (!factory) {
    throw new KeelError('invalid_request', `Unknown analyser "${name}". Known: ${analyzerNames.join(', ')}.`);
  }
  return factory();
}
