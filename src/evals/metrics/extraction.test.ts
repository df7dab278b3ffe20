import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';

describe('extraction metrics', () => {
  it('scores normalised spans (micro P/R/F1)', () => {
    const result = computeMetric('span_f1', {
      predictions: [['The Beatles', 'London'], ['서울에서']],
      references: [['beatles', 'Liverpool'], ['서울']],
    });
    // tp = 2 (beatles, 서울), fp = 1 (london), fn = 1 (liverpool): P = R = F1 = 2/3.
    expect(result.score).toBeCloseTo(2 / 3, 12);
    expect(result.details?.precision).toBeCloseTo(2 / 3, 12);
    expect(result.per_item).toEqual([0.5, 1]);
  });

  it('scores fields of JSON objects, per field', () => {
    const result = computeMetric('field_f1', {
      predictions: ['{"name":"Kim","age":30}', { name: 'Lee', city: 'Seoul' }],
      references: [
        { name: 'kim', age: 30 },
        { name: 'Park', city: 'Seoul' },
      ],
    });
    // tp: name#1, age#1, city#2 = 3; name#2 wrong: fp 1, fn 1 → P = R = 3/4.
    expect(result.score).toBeCloseTo(0.75, 12);
    const fields = result.details?.fields as Record<string, { f1: number }>;
    expect(fields.name?.f1).toBeCloseTo(0.5, 12);
    expect(fields.city?.f1).toBe(1);
  });

  it('rejects invalid JSON with a coded issue', () => {
    expect(() => computeMetric('field_f1', { predictions: ['{oops'], references: [{}] })).toThrowError(
      expect.objectContaining({
        issues: [expect.objectContaining({ code: 'invalid_json', path: ['predictions', 0] })],
      }),
    );
  });
});
