import { describe, expect, it } from 'vitest';
import { judgePrompt, languageOf } from './judge-prompts.js';
import { lexicalScore } from './lexical-judge.js';
import { parseJudgeScore } from './parse-score.js';

describe('judge', () => {
  it('reads a 1–5 score from the reply, normalised to [0, 1]; garbage is undefined', () => {
    expect(parseJudgeScore('SCORE: 5')).toBe(1);
    expect(parseJudgeScore('Reasoning first.\nScore: 3/5')).toBe(0.5);
    expect(parseJudgeScore('점수: 1')).toBe(0);
    expect(parseJudgeScore('4')).toBe(0.75);
    expect(parseJudgeScore('SCORE: 9')).toBeUndefined();
    expect(parseJudgeScore('I cannot judge this.')).toBeUndefined();
    expect(parseJudgeScore('')).toBeUndefined();
  });

  it('asks in the item’s language with a fixed prompt', () => {
    expect(languageOf('서울의 인구는 얼마인가요?')).toBe('ko');
    expect(languageOf('How many people live in Seoul?')).toBe('en');
    const input = {
      question: '서울의 인구는?',
      answer: '약 천만 명',
      contexts: ['서울 인구는 약 천만 명이다.'],
    };
    expect(judgePrompt('faithfulness', 'ko', input)).toContain('문단:\n[1] 서울 인구는 약 천만 명이다.');
    expect(judgePrompt('answer_relevance', 'en', input)).toContain('SCORE: <1-5>');
  });

  it('falls back to token overlap, matching Korean words with particles attached', () => {
    const input = {
      question: '서울의 인구는?',
      answer: '서울에는 천만 명',
      contexts: ['서울 인구는 천만 명이다.'],
    };
    expect(lexicalScore('context_relevance', input)).toBe(1);
    // 서울에는 ~ 서울, 천만, 명 ~ 명이다: every word of the answer is in the passage.
    expect(lexicalScore('faithfulness', input)).toBe(1);
    expect(lexicalScore('faithfulness', { question: '', answer: 'Paris', contexts: ['Berlin'] })).toBe(0);
    expect(
      lexicalScore('answer_relevance', {
        question: 'capital of France',
        answer: 'The capital of France is Paris',
        contexts: [],
      }),
    ).toBe(1);
  });
});
