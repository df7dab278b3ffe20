/**
 * @module evals/judge/lexical-judge
 * The fallbacks used when no judge model is configured, reported under their own names
 * (`faithfulness_lexical` …) so they are never mistaken for a judged score. Each is the share of
 * one text's words found in another, in [0, 1]: words are lower-cased runs of letters and digits;
 * a Korean word is compared by its first two syllables, so a word still matches with a particle
 * attached (서울에서 ~ 서울, 인구는 ~ 인구).
 */
import type { JudgeInput, JudgeMetric } from './judge-prompts.js';

const HANGUL = /\p{Script=Hangul}/u;

/** The key a word is compared by: a Korean word's first two syllables, any other word whole. */
function keyOf(word: string): string {
  return HANGUL.test(word) ? word.slice(0, 2) : word;
}

function keys(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    // One-letter Latin words (a, I) carry nothing; a one-syllable Korean word (명, 책) does.
    if (word.length > 1 || HANGUL.test(word) || /\p{N}/u.test(word)) set.add(keyOf(word));
  }
  return set;
}

/** Share of `part`'s words that occur in `whole` (1 when `part` has none). */
function covered(part: Set<string>, whole: Set<string>): number {
  if (part.size === 0) return 1;
  // A one-syllable Korean word matches a longer word it begins (명 ~ 명이다).
  const firsts = new Set([...whole].filter((key) => HANGUL.test(key)).map((key) => key[0]!));
  let hits = 0;
  for (const key of part) if (whole.has(key) || (key.length === 1 && firsts.has(key))) hits += 1;
  return hits / part.size;
}

/** The lexical stand-in for a judged metric. */
export function lexicalScore(metric: JudgeMetric, input: JudgeInput): number {
  const contexts = keys(input.contexts.join('\n'));
  if (metric === 'faithfulness') return covered(keys(input.answer), contexts);
  if (metric === 'context_relevance') return covered(keys(input.question), contexts);
  return covered(keys(input.question), keys(input.answer));
}
