/**
 * @module evals/judge/judge-prompts
 * The fixed judge prompts, versioned: a result records the version it was judged with, and a
 * change of wording is a new version (never an edit of an old one). Each asks for one integer
 * score from 1 to 5 on a line of its own, `SCORE: n`, which `parse-score` reads.
 */

export const judgeMetrics = ['faithfulness', 'answer_relevance', 'context_relevance'] as const;
export type JudgeMetric = (typeof judgeMetrics)[number];
export type JudgeLanguage = 'en' | 'ko';

export const JUDGE_PROMPT_VERSION = 'judge-v1';

export interface JudgeInput {
  question: string;
  answer: string;
  contexts: readonly string[];
}

const contextsBlock = (contexts: readonly string[]) =>
  contexts.map((context, index) => `[${index + 1}] ${context}`).join('\n\n');

const english: Record<JudgeMetric, (input: JudgeInput) => string> = {
  faithfulness: ({ answer, contexts }) =>
    `You check whether an answer is supported by the given passages.
Rate from 1 (mostly unsupported or contradicted) to 5 (every claim is stated in the passages).
Judge only support by the passages, not whether the answer is true elsewhere.

Passages:
${contextsBlock(contexts)}

Answer:
${answer}

Reply with one line: SCORE: <1-5>`,
  answer_relevance: ({ question, answer }) =>
    `You check whether an answer addresses the question it was given.
Rate from 1 (off-topic or evasive) to 5 (directly and completely answers the question).

Question:
${question}

Answer:
${answer}

Reply with one line: SCORE: <1-5>`,
  context_relevance: ({ question, contexts }) =>
    `You check whether retrieved passages contain what is needed to answer a question.
Rate from 1 (nothing useful) to 5 (the passages hold the full answer).

Question:
${question}

Passages:
${contextsBlock(contexts)}

Reply with one line: SCORE: <1-5>`,
};

const korean: Record<JudgeMetric, (input: JudgeInput) => string> = {
  faithfulness: ({ answer, contexts }) =>
    `주어진 문단이 답변을 뒷받침하는지 평가합니다.
1점(대부분 근거가 없거나 문단과 모순됨)부터 5점(모든 주장이 문단에 나와 있음)까지 매기십시오.
다른 곳에서 사실인지가 아니라 문단의 근거만 보십시오.

문단:
${contextsBlock(contexts)}

답변:
${answer}

한 줄로만 답하십시오: SCORE: <1-5>`,
  answer_relevance: ({ question, answer }) =>
    `답변이 질문에 맞게 답하는지 평가합니다.
1점(질문과 무관하거나 회피함)부터 5점(질문에 직접, 완전하게 답함)까지 매기십시오.

질문:
${question}

답변:
${answer}

한 줄로만 답하십시오: SCORE: <1-5>`,
  context_relevance: ({ question, contexts }) =>
    `검색된 문단에 질문에 답하는 데 필요한 내용이 있는지 평가합니다.
1점(쓸모 있는 내용 없음)부터 5점(문단에 답 전체가 있음)까지 매기십시오.

질문:
${question}

문단:
${contextsBlock(contexts)}

한 줄로만 답하십시오: SCORE: <1-5>`,
};

/** The judge prompt for a metric in a language. */
export function judgePrompt(metric: JudgeMetric, language: JudgeLanguage, input: JudgeInput): string {
  return (language === 'ko' ? korean : english)[metric](input);
}

/** Korean when at least a fifth of the letters are Hangul. */
export function languageOf(text: string): JudgeLanguage {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const hangul = text.match(/\p{Script=Hangul}/gu)?.length ?? 0;
  return letters > 0 && hangul / letters >= 0.2 ? 'ko' : 'en';
}
