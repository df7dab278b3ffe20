/**
 * @module evals/judge/judge
 * LLM-judged metrics for one item: the fixed prompt in the item's language, one greedy call to
 * the judge model, the score parsed from the reply. A reply without a score fails the item with
 * `judge_unparseable`; with no judge model the lexical fallback answers under `<metric>_lexical`.
 */
import { KeelError } from '../../core/errors.js';
import type { GenerationService } from '../../models/index.js';
import {
  JUDGE_PROMPT_VERSION,
  type JudgeInput,
  type JudgeMetric,
  judgePrompt,
  languageOf,
} from './judge-prompts.js';
import { lexicalScore } from './lexical-judge.js';
import { parseJudgeScore } from './parse-score.js';

export { JUDGE_PROMPT_VERSION, type JudgeMetric, judgeMetrics } from './judge-prompts.js';
export { lexicalScore } from './lexical-judge.js';
export { parseJudgeScore } from './parse-score.js';

/** An item error with a stable code (the run records it and goes on). */
export class ItemError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JudgeOptions {
  generation: GenerationService;
  /** Full model id; without one the lexical fallbacks answer. */
  model?: string | undefined;
  signal?: AbortSignal | undefined;
  context?: { projectId: string; keyId: string | null; endpoint: string };
}

/** The name a judged metric is reported under: itself with a judge, `<name>_lexical` without. */
export function judgedName(metric: JudgeMetric, model: string | undefined): string {
  return model ? metric : `${metric}_lexical`;
}

/** Scores one item on one judged metric, in [0, 1]. */
export async function judge(metric: JudgeMetric, input: JudgeInput, options: JudgeOptions): Promise<number> {
  if (!options.model) return lexicalScore(metric, input);
  const language = languageOf(`${input.question} ${input.answer}`);
  let reply: string;
  try {
    const outcome = await options.generation.generate(
      {
        model: options.model,
        prompt: { type: 'text', text: judgePrompt(metric, language, input) },
        parameters: { decodingMethod: 'greedy', maxNewTokens: 20 },
        ...(options.signal ? { abortSignal: options.signal } : {}),
      },
      options.context,
    );
    reply = outcome.text;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const code = error instanceof KeelError ? error.code : 'judge_failed';
    throw new ItemError(
      code === 'timeout' ? 'judge_timeout' : 'judge_failed',
      `The judge call failed: ${(error as Error).message}`,
    );
  }
  const score = parseJudgeScore(reply);
  if (score === undefined) {
    throw new ItemError(
      'judge_unparseable',
      `The judge (${JUDGE_PROMPT_VERSION}) replied without a score: “${reply.slice(0, 80)}”.`,
    );
  }
  return score;
}
