import { describe, expect, it } from 'vitest';
import { builtInRerankModel } from './built-in.js';
import { NGRAM_FUSION_RERANK_MODEL, NgramFusionReranker } from './ngram-fusion-reranker.js';

describe('n-gram fusion reranker', () => {
  const documents = [
    '이 회사는 부산에 본사가 있다. 직원은 300명이다.',
    '서울대학교는 1946년에 설립되었다. 관악구에 있다.',
    '대학교 입학 시험은 어렵다. 서울에는 대학교가 많다.',
  ];

  it('puts the document that answers the query first', async () => {
    const { results } = await new NgramFusionReranker().doRerank({
      query: '서울대학교는 언제 설립되었나?',
      documents,
    });
    expect(results[0]!.index).toBe(1);
    expect(results).toHaveLength(3);
  });

  it('fuses the first stage scores in when given: they can change the order', () => {
    const reranker = new NgramFusionReranker();
    const query = '서울';
    const alone = reranker.score(query, documents);
    expect(alone.indexOf(Math.max(...alone))).toBe(2);
    // A first stage that saw the whole corpus and is sure of another candidate.
    const first = [1, 30, 1];
    const fused = reranker.score(query, documents, first);
    expect(fused.indexOf(Math.max(...fused))).toBe(1);
    expect(() => reranker.score(query, documents, [1])).toThrow(RangeError);
  });

  it('weighs the first stage by rank as well as by score, and takes weights for any signal', () => {
    const reranker = new NgramFusionReranker();
    const query = '대학교 시험';
    // Only the first stage's rank counts: the candidate it ranked first wins.
    const byRank = reranker.score(query, documents, [1, 3, 2], { firstRank: 1 });
    expect(byRank.indexOf(Math.max(...byRank))).toBe(1);
    expect(byRank[0]).toBeCloseTo(1 / 3);
    // Only one lexical signal counts.
    const byCoverage = reranker.score(query, documents, undefined, { coverage: 1 });
    expect(byCoverage.indexOf(Math.max(...byCoverage))).toBe(2);
  });

  it('is served as a built-in model by its name', () => {
    expect(builtInRerankModel(NGRAM_FUSION_RERANK_MODEL)?.modelId).toBe('lexical-ngram-rerank');
    expect(builtInRerankModel('keel/lexical-rerank')?.modelId).toBe('lexical-rerank');
    expect(builtInRerankModel('llamacpp:bge-reranker')).toBeUndefined();
  });
});
