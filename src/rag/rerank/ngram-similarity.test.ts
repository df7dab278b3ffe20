import { describe, expect, it } from 'vitest';
import { NgramFusionReranker } from './ngram-fusion-reranker.js';
import { ngramFeatures, ngramProfile, ngramSimilarity } from './ngram-similarity.js';

describe('character n-gram similarity', () => {
  it('matches Korean stems across endings and English across inflections', () => {
    expect(ngramFeatures('설립되었다').has('g설립')).toBe(true);
    const [korean, other] = ngramSimilarity('서울대학교 설립 연도', [
      ngramProfile('서울대학교는 1946년에 설립되었다.'),
      ngramProfile('부산은 항구 도시이다.'),
    ]);
    expect(korean!.whole).toBeGreaterThan(other!.whole);
    const [founded, unrelated] = ngramSimilarity('founding of universities', [
      ngramProfile('The university was founded in 1946.'),
      ngramProfile('A harbour city.'),
    ]);
    expect(founded!.whole).toBeGreaterThan(0);
    expect(unrelated!.whole).toBe(0);
  });

  it('scores the best two-sentence window apart from the whole text', () => {
    const [scores] = ngramSimilarity('certificate expired', [
      ngramProfile('Long intro. More filler here. The certificate expired at noon. Then we slept.'),
    ]);
    expect(scores!.window).toBeGreaterThan(scores!.whole);
  });
});

describe('the fused reranker', () => {
  it('ranks the answering passage first and fuses first-stage scores when given', async () => {
    const reranker = new NgramFusionReranker();
    const documents = ['부산은 항구 도시이다.', '서울대학교는 1946년에 설립되었다.', '대학 입시'];
    const { results } = await reranker.doRerank({
      query: '서울대학교는 언제 설립되었나?',
      documents,
      topN: 2,
    });
    expect(results.map((result) => result.index)).toEqual([1, 2]);
    const favourLast = reranker.score('대학', documents, [0, 0, 10]);
    expect(favourLast[2]!).toBeGreaterThan(favourLast[1]!);
    const favourMiddle = reranker.score('대학', documents, [0, 10, 0]);
    expect(favourMiddle[1]!).toBeGreaterThan(favourMiddle[2]!);
    expect(() => reranker.score('q', documents, [1])).toThrow(RangeError);
  });
});
