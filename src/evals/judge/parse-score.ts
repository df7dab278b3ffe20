/**
 * @module evals/judge/parse-score
 * Reads a judge's reply: `SCORE: n` with n from 1 to 5 (the last such line wins; `점수:` is read
 * too), normalised to [0, 1]. Anything else is garbage: `undefined`, and the item fails coded.
 */

const SCORE_LINE = /(?:score|점수)\s*[:：=]\s*\**\s*([1-5](?:\.\d+)?)\s*(?:\/\s*5)?\**\s*$/gimu;

/** The judge's score normalised to [0, 1] ((n − 1) / 4), or undefined when the reply has none. */
export function parseJudgeScore(reply: string): number | undefined {
  let last: string | undefined;
  for (const match of reply.matchAll(SCORE_LINE)) last = match[1];
  if (last === undefined) {
    const bare = reply.trim().match(/^([1-5])(?:\s*\/\s*5)?\.?$/u);
    if (!bare) return undefined;
    last = bare[1];
  }
  const value = Number(last);
  if (!(value >= 1 && value <= 5)) return undefined;
  return (value - 1) / 4;
}
