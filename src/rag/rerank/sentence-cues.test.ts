import { describe, expect, it } from 'vitest';
import { LexicalReranker } from './lexical-reranker.js';
import { answerKind, hasTitleLine, wordTrigrams } from './sentence-cues.js';

describe('sentence cues', () => {
  it('tells what a question asks for: a place, a time or a person', () => {
    expect(answerKind('서울대학교는 어디에 있나?')?.test('서울대학교는 관악구에 있다.')).toBe(true);
    expect(answerKind('서울대학교는 어디에 있나?')?.test('서울대학교는 좋은 대학이다.')).toBe(false);
    expect(answerKind('When was the university founded?')?.test('It was founded in 1850.')).toBe(true);
    expect(
      answerKind('정성공의 아버지는 누구인가?')?.test('그의 아버지인 정지룡(鄭芝龍)은 무역을 했다.'),
    ).toBe(true);
    expect(answerKind('금강산의 가을 이름은?')).toBeUndefined();
  });

  it('cuts the query into character trigrams word by word, in reading order', () => {
    expect(wordTrigrams('Nobel 상을 받다')).toEqual([['nob', 'obe', 'bel'], ['상을'], ['받다']]);
    expect(wordTrigrams(' ,. ')).toEqual([]);
  });

  it('favours the short sentence holding the question verbatim, in its place, with what it asks', () => {
    const reranker = new LexicalReranker();
    const query = '서울대학교는 어디에 설립되었나?';
    const [answer, long, elsewhere, unrelated] = reranker.features(query, [
      '서울대학교\n서울대학교는 관악구에 설립되었다.',
      `대학\n서울대학교는 ${'여러 학과와 연구소와 도서관과 박물관을 갖춘 '.repeat(6)}곳으로 설립되었다.`,
      '대학\n대학은 많다. 서울대학교는 크다. 학생이 많다. 설립되었다.',
      '부산\n부산은 항구 도시이다.',
    ]);
    expect(answer!.density).toBeGreaterThan(long!.density);
    expect(answer!.run).toBeGreaterThan(unrelated!.run);
    expect(answer!.answerType).toBe(1);
    expect(long!.answerType).toBe(0);
    expect(answer!.lead).toBeGreaterThan(long!.lead);
    // Three adjacent sentences gather what one sentence of the scattered candidate lacks.
    expect(elsewhere!.window3).toBeGreaterThan(elsewhere!.density);
    // Negative evidence: the unrelated candidate lacks the query's rarest terms.
    expect(unrelated!.missing).toBe(1);
    expect(answer!.rare).toBe(1);
    expect(unrelated!.rare).toBe(0);
    for (const features of [answer, long, elsewhere, unrelated])
      for (const value of Object.values(features!)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1.0000001);
      }
  });

  it('reads a title only from a short first line followed by more text', () => {
    expect(hasTitleLine('서울대학교\n서울대학교는 관악구에 있다.')).toBe(true);
    expect(hasTitleLine('서울대학교는 관악구에 있다. 1946년에 설립되었다.')).toBe(false);
    expect(hasTitleLine(`${'긴 문장 '.repeat(40)}\n다음 줄`)).toBe(false);
    expect(hasTitleLine('제목만\n  ')).toBe(false);
    const reranker = new LexicalReranker();
    const [titled, plain] = reranker.features('서울대학교 위치', [
      '서울대학교\n관악구에 있다.',
      '서울대학교는 관악구에 있다.',
    ]);
    expect(titled!.lead).toBeGreaterThan(0);
    expect(plain!.lead).toBe(0);
  });

  it('weighs the rarest query term a candidate lacks (negative evidence)', () => {
    const [both, one] = new LexicalReranker().features('관악구 서울대학교', [
      '서울대학교는 관악구에 있다.',
      '관악구는 서울에 있다.',
      '관악구에 산이 있다.',
    ]);
    expect(both!.missing).toBe(0);
    expect(one!.missing).toBeGreaterThan(0.5);
  });

  it('gives every cue 0 for an empty query or an empty candidate', () => {
    const reranker = new LexicalReranker();
    const [empty] = reranker.features('', ['서울대학교는 관악구에 있다.']);
    expect(empty!.window3 + empty!.density + empty!.run + empty!.rare + empty!.answerType).toBe(0);
    const [blank] = reranker.features('서울대학교는 어디에 있나?', ['   ']);
    expect(blank!.density + blank!.run + blank!.lead + blank!.answerType).toBe(0);
  });
});
