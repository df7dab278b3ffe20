import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';
import { meteor, singleMeteor } from './meteor.js';

describe('METEOR (NLTK meteor_score semantics, no synonyms)', () => {
  it('matches nltk test_meteor.py', () => {
    // nltk/nltk nltk/test/unit/translate/test_meteor.py test_meteor: 0.9921875.
    expect(meteor(['this is a test', 'this istest'], 'THIS Is a tEST')).toBe(0.9921875);
    // test_single_meteor_score_values_preserved: round(score, 4) == 0.6944, no overlap → 0.0.
    const score = singleMeteor(
      'It is a guide to action that ensures that the military will forever heed Party commands',
      'It is a guide to action which ensures that the military always obeys the commands of the party',
    ).score;
    expect(Math.round(score * 1e4) / 1e4).toBe(0.6944);
    expect(singleMeteor('this is a cat', 'x y z').score).toBe(0);
  });

  it('says synonyms are off and refuses to pretend otherwise', () => {
    const result = computeMetric('meteor', { predictions: ['a test'], references: ['a test'] });
    expect(result.details?.synonyms).toBe(false);
    expect(() =>
      computeMetric('meteor', { predictions: ['a'], references: ['a'], options: { synonyms: true } }),
    ).toThrowError(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'unsupported_option' })] }),
    );
  });
});
