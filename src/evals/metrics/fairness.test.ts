import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';

describe('fairness metrics (AIF360 definitions)', () => {
  // Group m: 3 of 4 favourable (0.75); group f: 1 of 4 (0.25).
  const input = {
    predictions: ['1', '1', '1', '0', '1', '0', '0', '0'],
    groups: ['m', 'm', 'm', 'm', 'f', 'f', 'f', 'f'],
  };

  it('computes disparate impact and statistical parity difference', () => {
    const di = computeMetric('disparate_impact', { ...input, options: { reference_group: 'm' } });
    expect(di.score).toBeCloseTo(0.25 / 0.75, 12);
    const spd = computeMetric('statistical_parity_difference', {
      ...input,
      options: { reference_group: 'm' },
    });
    expect(spd.score).toBeCloseTo(-0.5, 12);
    expect(spd.details?.worst_group).toBe('f');
  });

  it('defaults the reference group to the most favoured one and the favourable label to "1"', () => {
    expect(computeMetric('disparate_impact', input).details?.reference_group).toBe('m');
  });

  it('needs groups (coded error)', () => {
    expect(() => computeMetric('disparate_impact', { predictions: ['1'] })).toThrowError(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'missing_groups' })] }),
    );
  });
});
