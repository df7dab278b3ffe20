import { describe, expect, it } from 'vitest';
import { classify } from './classification.js';
import { computeMetric } from './index.js';

describe('classification metrics', () => {
  it('matches scikit-learn f1_score documentation', () => {
    // scikit-learn sklearn.metrics.f1_score docstring: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1]
    // → macro 0.26666666666666666, micro 0.3333333333333333, per class [0.8, 0, 0].
    const report = classify(['0', '2', '1', '0', '0', '1'], ['0', '1', '2', '0', '1', '2']);
    expect(Math.abs(report.macro_f1 - 0.26666666666666666)).toBeLessThan(1e-12);
    expect(Math.abs(report.micro_f1 - 0.3333333333333333)).toBeLessThan(1e-12);
    expect(report.per_class['0']?.f1).toBeCloseTo(0.8, 12);
    expect(report.per_class['1']?.f1).toBe(0);
  });

  it('matches scikit-learn confusion_matrix documentation', () => {
    // scikit-learn sklearn.metrics.confusion_matrix docstring: y_true [2,0,2,2,0,1],
    // y_pred [0,0,2,2,0,2] → [[2,0,0],[0,0,1],[1,0,2]].
    const report = classify(['0', '0', '2', '2', '0', '2'], ['2', '0', '2', '2', '0', '1']);
    expect(report.confusion_matrix).toEqual({
      labels: ['0', '1', '2'],
      matrix: [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    });
    expect(report.accuracy).toBeCloseTo(4 / 6, 12);
  });

  it('accepts labels instead of references', () => {
    const result = computeMetric('accuracy', { predictions: ['긍정', '부정'], labels: ['긍정', '긍정'] });
    expect(result.score).toBe(0.5);
    expect(result.per_item).toEqual([1, 0]);
  });
});
