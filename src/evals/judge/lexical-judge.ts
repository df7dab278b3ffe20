/**
 * @module evals/judge/lexical-judge
 * The fallbacks used when no judge model is configured, reported under their own names
 * (`faithfulness_lexical` …) so they are never mistaken for a judged score. Each is a token
 * overlap in [0, 1]: words (lower-cased letters and digits), and for Hangul runs their character
 * bigrams too, so a Korean word still matches when a particle is attached (서울에서 ~ 서울).
 */
import type { JudgeInput, JudgeMetric } from './judge-prompts.js';

function tokens(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/\p{Script=Hangul}/u.test(word) && word.length > 1) {
      for (let index = 0; index + 1 < word.length; index += 1) set.add(word.slice(index, index + 2));
    } else if (word.length > 1 || /\p{N}/u.test(word)) {
      set.add(word);
    }
  }
  return set;
}

/** Share of `part`'s tokens that occur in `whole` (1 when `part` has none). */
function covered(part: Set<string>, whole: Set<string>): number {
  if (part.size === 0) return 1;
  let hits = 0;
  for (const token of part) if (whole.has(token)) hits += 1;
  return hits / part.size;
}

/** The lexical stand-in for a judged metric. */
export function lexicalScore(metric: JudgeMetric, input: JudgeInput): number {
  const contexts = tokens(input.contexts.join('\n'));
  if (metric === 'faithfulness') return covered(tokens(input.answer), contexts);
  if (metric === 'context_relevance') return covered(tokens(input.question), contexts);
  return covered(tokens(input.question), tokens(input.answer));
}
