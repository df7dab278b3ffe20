import { describe, expect, it } from 'vitest';
import { stripKorean } from '../../core/text/korean-morphology.js';
import { porter2 } from '../../core/text/porter2-stemmer.js';
import { detectLanguage } from '../../core/text/scripts.js';
import { createEnglishAnalyzer, createMultilingualAnalyzer, getAnalyzer } from './analyzers.js';

describe('Korean morphology', () => {
  it.each([
    ['페미니즘은', '페미니즘'],
    ['학생들은', '학생'],
    ['책을', '책'],
    ['서울에서', '서울'],
    ['정부로부터', '정부'],
    ['설립되었다', '설립'],
    ['설립하였다', '설립'],
    ['시작되었나', '시작'],
    ['무엇인가', '무엇'],
    ['학습시킨다', '학습'],
  ])('strips the particle or ending of %s', (word, stem) => {
    expect(stripKorean(word).stem).toBe(stem);
  });

  it.each([
    ['국가', 'the 가 after a final consonant is not the subject particle'],
    ['나이', 'the 이 after a vowel is not the subject particle'],
    ['결과', 'a one-syllable stem keeps 과'],
    ['민주주의', '-주의 is a suffix'],
    ['바다', 'a noun ending in 다'],
  ])('keeps %s whole (%s)', (word) => {
    expect(stripKorean(word).stem).toBe(word);
  });
});

describe('analysers', () => {
  const analyzer = createMultilingualAnalyzer();

  it('indexes Korean words as bigrams plus the stripped stem, so particles do not block matches', () => {
    const terms = analyzer.analyze('페미니즘은');
    expect(terms).toEqual(expect.arrayContaining(['페미', '미니', '니즘', '페미니즘']));
    expect(analyzer.analyze('페미니즘을')).toContain('페미니즘');
    expect(analyzer.analyze('책을')).toContain('책');
  });

  it('drops question words and adds adjacent-stem shingles', () => {
    const terms = analyzer.analyze('임시정부는 언제 수립되었나?');
    expect(terms).not.toContain('언제');
    expect(terms).toContain('임시정부_수립');
  });

  it('stems English with Porter2 and drops stop words', () => {
    expect(createEnglishAnalyzer().analyze('The runners were running quickly')).toEqual([
      'runner',
      'run',
      'runner_run',
      'quick',
      'run_quick',
    ]);
    for (const [word, stem] of [
      ['generously', 'generous'],
      ['communication', 'communic'],
      ['caresses', 'caress'],
      ['dying', 'die'],
      ['hopping', 'hop'],
      ['sensational', 'sensat'],
      ['skies', 'sky'],
    ] as const) {
      expect(porter2(word)).toBe(stem);
    }
  });

  it('handles mixed Korean, English and CJK text token by token, with offsets', () => {
    const text = 'AI 모델을 東京에서 training';
    const tokens = analyzer.tokens(text);
    expect(tokens.map((token) => token.term)).toEqual(
      expect.arrayContaining(['ai', '모델', '東京', 'train']),
    );
    for (const token of tokens.filter((t) => !t.term.includes('_'))) {
      expect(text.slice(token.start, token.end).toLowerCase()).toContain(token.term.slice(0, 1));
    }
  });

  it('normalises with NFKC (full-width Latin, decomposed Hangul)', () => {
    expect(analyzer.analyze('ＡＩ')).toEqual(['ai']);
    expect(analyzer.analyze('서울'.normalize('NFD'))).toEqual(['서울']);
  });

  it('detects the language from script ratios', () => {
    expect(detectLanguage('대한민국의 수도는 서울이다.').language).toBe('ko');
    expect(detectLanguage('The capital of Korea is Seoul.').language).toBe('en');
    expect(detectLanguage('東京の人口は多い').language).toBe('ja');
    expect(detectLanguage('北京是中国的首都').language).toBe('zh');
    expect(detectLanguage('12345 !!!').language).toBe('und');
    expect(detectLanguage('Keel은 RAG 플랫폼이다').language).toBe('ko');
  });

  it('refuses unknown analyser names', () => {
    expect(() => getAnalyzer('klingon-v1')).toThrow(/Unknown analyser/);
    expect(getAnalyzer('korean-v1').name).toBe('korean-v1');
  });
});
