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

  it('scores an empty query as zero for every document', () => {
    expect(new LexicalReranker().score('', ['a', 'b'])).toEqual([0, 0]);
  });
});
