/**
 * @module evals/metrics/qa
 * Exact match and token F1 for extractive QA, best over the references.
 * - English: the SQuAD v1.1 evaluation script's normalisation — lower-case, drop ASCII
 *   punctuation, drop the articles a/an/the, collapse whitespace; F1 over whitespace tokens.
 * - Korean (`language: 'ko'`, or `auto` when the reference or the prediction holds Hangul): NFKC,
 *   lower-case, every punctuation mark or symbol removed (quotes, 《》, 「」 …), the trailing
 *   particle or ending of each Hangul word removed (은/는/이/가/을/를/의/에/에서/으로/로/와/과/도/
 *   만/이다/입니다 …, core/text's `stripKorean`), then whitespace removed; F1 over characters, as
 *   KorQuAD's script counts it, since Korean word boundaries vary between annotators.
 *   `korean: 'korquad'` uses the official KorQuAD v1.0 script's normalisation instead (quotes and
 *   brackets 《》〈〉<>()‘’ and ASCII punctuation removed, particles kept; EM keeps the spaces).
 */
import { stripKorean } from '../../core/text/korean-morphology.js';

export type QaLanguage = 'en' | 'ko' | 'auto';
export type KoreanNormalization = 'particles' | 'korquad';

const asciiPunctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const articles = /\b(a|an|the)\b/g;
const unicodePunctuation = /[\p{P}\p{S}]/gu;
const hangul = /[\uac00-\ud7a3]/;

/** SQuAD v1.1 `normalize_answer`. */
export function normalizeSquad(text: string): string {
  return text
    .toLowerCase()
    .replace(asciiPunctuation, '')
    .replace(articles, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/** Korean normalisation: tokens without punctuation and trailing particles. */
export function koreanTokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(unicodePunctuation, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => (hangul.test(word) ? stripKorean(word).stem : word));
}

export function normalizeKorean(text: string): string {
  return koreanTokens(text).join('');
}

const korquadMarks = /['"《》<>〈〉()‘’]/g;

/** The KorQuAD v1.0 evaluation script's `normalize_answer`. */
export function normalizeKorquad(text: string): string {
  return text
    .replace(korquadMarks, ' ')
    .toLowerCase()
    .replace(asciiPunctuation, '')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

type Normalizer = { exact: (text: string) => string; units: (text: string) => string[] };

const normalizers: Record<'en' | 'ko' | 'korquad', Normalizer> = {
  en: { exact: normalizeSquad, units: (text) => normalizeSquad(text).split(' ').filter(Boolean) },
  ko: { exact: normalizeKorean, units: (text) => Array.from(normalizeKorean(text)) },
  korquad: {
    exact: normalizeKorquad,
    units: (text) => Array.from(normalizeKorquad(text).replaceAll(' ', '')),
  },
};

function resolve(language: QaLanguage, prediction: string, references: readonly string[]): 'en' | 'ko' {
  if (language !== 'auto') return language;
  if (hangul.test(prediction) || references.some((reference) => hangul.test(reference))) return 'ko';
  return 'en';
}

function overlapF1(prediction: readonly string[], truth: readonly string[]): number {
  // As SQuAD v1.1's script: no shared token (both sides empty included) is 0.
  if (prediction.length === 0 || truth.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const token of truth) counts.set(token, (counts.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of prediction) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      same++;
      counts.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / prediction.length;
  const recall = same / truth.length;
  return (2 * precision * recall) / (precision + recall);
}

function normalizerFor(
  language: QaLanguage,
  korean: KoreanNormalization,
  prediction: string,
  references: readonly string[],
): Normalizer {
  const lang = resolve(language, prediction, references);
  return normalizers[lang === 'en' ? 'en' : korean === 'korquad' ? 'korquad' : 'ko'];
}

export function exactMatch(
  prediction: string,
  references: readonly string[],
  language: QaLanguage = 'auto',
  korean: KoreanNormalization = 'particles',
): number {
  const { exact } = normalizerFor(language, korean, prediction, references);
  const normalized = exact(prediction);
  return references.some((reference) => exact(reference) === normalized) ? 1 : 0;
}

export function tokenF1(
  prediction: string,
  references: readonly string[],
  language: QaLanguage = 'auto',
  korean: KoreanNormalization = 'particles',
): number {
  const { units } = normalizerFor(language, korean, prediction, references);
  const predicted = units(prediction);
  let best = 0;
  for (const reference of references) best = Math.max(best, overlapF1(predicted, units(reference)));
  return best;
}
