import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';
import { exactMatch, normalizeKorean, normalizeKorquad, normalizeSquad, tokenF1 } from './qa.js';

describe('QA exact match and F1', () => {
  it('matches the SQuAD v1.1 evaluation script', () => {
    // Expected values: the functions normalize_answer / exact_match_score / f1_score /
    // metric_max_over_ground_truths of the official SQuAD v1.1 evaluate script
    // (rajpurkar/SQuAD-explorer evaluate-v1.1.py), run on these inputs.
    const cases: [string, string[], number, number, string][] = [
      ['The Denver Broncos!', ['Denver Broncos'], 1, 1.0, 'denver broncos'],
      ['in the year 1976', ['1976', 'year 1976'], 0, 0.8, 'in year 1976'],
      ['Santa Clara, California', ["Levi's Stadium", 'Santa Clara'], 0, 0.8, 'santa clara california'],
      ['an apple a day', ['the apple'], 0, 0.6666666666666666, 'apple day'],
      ['', ['nothing'], 0, 0, ''],
    ];
    for (const [prediction, references, em, f1, normalized] of cases) {
      expect(normalizeSquad(prediction)).toBe(normalized);
      expect(exactMatch(prediction, references, 'en')).toBe(em);
      expect(Math.abs(tokenF1(prediction, references, 'en') - f1)).toBeLessThan(1e-12);
    }
  });

  it('normalises Korean: punctuation, particles, whitespace', () => {
    expect(normalizeKorean('《서울특별시》는')).toBe('서울특별시');
    expect(exactMatch('세종대왕이', ['세종대왕'])).toBe(1);
    expect(exactMatch('1443년에', ['1443년'])).toBe(1);
    expect(exactMatch('"한글"을', ['한글'])).toBe(1);
    // Character F1 as KorQuAD counts it.
    expect(tokenF1('조선 세종', ['세종'], 'ko')).toBeCloseTo((2 * (2 / 4) * 1) / (2 / 4 + 1), 12);
    // Without Korean normalisation the particle makes it a miss.
    expect(exactMatch('세종대왕이', ['세종대왕'], 'en')).toBe(0);
  });

  it('matches the official KorQuAD v1.0 evaluation script with korean: korquad', () => {
    // Expected values: normalize_answer / exact_match_score / f1_score of the KorQuAD v1.0
    // evaluation script (korquad.github.io, "KorQuAD v1.0에 대한 공식 평가 스크립트"), run on these inputs.
    const cases: [string, string[], number, number, string][] = [
      ['《세종대왕》이', ['세종대왕'], 0, 0.888888888888889, '세종대왕 이'],
      ['1443년 (세종 25년)', ['1443년'], 0, 0.6666666666666666, '1443년 세종 25년'],
      ['조선 세종', ['세종'], 0, 0.6666666666666666, '조선 세종'],
      ['"한글"', ['한글'], 1, 1, '한글'],
    ];
    for (const [prediction, references, em, f1, normalized] of cases) {
      expect(normalizeKorquad(prediction)).toBe(normalized);
      expect(exactMatch(prediction, references, 'ko', 'korquad')).toBe(em);
      expect(Math.abs(tokenF1(prediction, references, 'ko', 'korquad') - f1)).toBeLessThan(1e-12);
    }
    // The default Korean normalisation strips the particle the official script keeps.
    expect(exactMatch('《세종대왕》이', ['세종대왕'], 'ko')).toBe(1);
  });

  it('reports per item and the mean through computeMetric', () => {
    const result = computeMetric('exact_match', {
      predictions: ['Denver Broncos', '세종대왕은'],
      references: [['denver broncos'], ['세종대왕']],
    });
    expect(result.per_item).toEqual([1, 1]);
    expect(result.score).toBe(1);
  });
});
