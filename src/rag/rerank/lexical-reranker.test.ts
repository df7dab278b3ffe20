import { describe, expect, it } from 'vitest';
import { LexicalReranker } from './lexical-reranker.js';

describe('lexical reranker', () => {
  it('puts the document that answers the query first, in English and Korean', async () => {
    const reranker = new LexicalReranker();
    const english = await reranker.doRerank({
      query: 'When was the university founded?',
      documents: [
        'The city has a large harbour and many parks.',
        'The university was founded in 1850 by the city council. It has ten faculties.',
        'Universities in the region have many students.',
      ],
    });
    expect(english.results[0]!.index).toBe(1);
    const korean = await reranker.doRerank({
      query: '서울대학교는 언제 설립되었나?',
      documents: [
        '부산은 항구 도시이다.',
        '서울대학교는 1946년에 설립되었다. 관악구에 있다.',
        '대학교 입학 시험은 어렵다.',
      ],
      topN: 2,
    });
    expect(korean.results).toHaveLength(2);
    expect(korean.results[0]!.index).toBe(1);
    expect(korean.usage.inputTokens).toBeGreaterThan(0);
  });

  it('measures the signals a bag of words misses: the answer sentence, its digits, adjacent sentences', () => {
    const reranker = new LexicalReranker();
    const query = 'When did Marie Curie receive the Nobel Prize?';
    const [spread, answer, unrelated] = reranker.features(query, [
      'Marie Curie was a physicist. The Nobel Prize went to her.',
      'Marie Curie received the Nobel Prize in 1903. She later lived in Warsaw.',
      'The city of Paris has many museums.',
    ]);
    // The terms sit in one sentence with a number: the answer's sentence.
    expect(answer!.sentence).toBeGreaterThan(spread!.sentence);
    expect(answer!.tight).toBeGreaterThan(spread!.tight);
    expect(answer!.numeric).toBe(1);
    expect(spread!.numeric).toBe(0);
    // Two adjacent sentences of the spread-out one hold more than either of its sentences.
    expect(spread!.pair).toBeGreaterThan(spread!.sentence);
    expect(unrelated!.coverage).toBe(0);
    // 'received' is in the answer alone.
    expect(answer!.coverage).toBeGreaterThan(spread!.coverage);
  });

  it('matches short Korean words through character bigrams when particles differ', () => {
    const [other, same] = new LexicalReranker().features('서울은 어디에 있나', [
      '부산에는 바다가 있다.',
      '서울에 한강이 있다.',
    ]);
    expect(same!.bigrams).toBeGreaterThan(other!.bigrams);
  });

  it('scores an empty query as zero for every document', () => {
    expect(new LexicalReranker().score('', ['a', 'b'])).toEqual([0, 0]);
  });
});
