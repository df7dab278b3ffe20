import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';

describe('SARI (Hugging Face evaluate semantics)', () => {
  it('matches the example in evaluate metrics/sari/sari.py', () => {
    // huggingface/evaluate metrics/sari/sari.py _KWARGS_DESCRIPTION: {'sari': 26.953601953601954}.
    const result = computeMetric('sari', {
      sources: ['About 95 species are currently accepted .'],
      predictions: ['About 95 you now get in .'],
      references: [
        [
          'About 95 species are currently known .',
          'About 95 species are now accepted .',
          '95 species are now accepted .',
        ],
      ],
    });
    expect(Math.abs(result.score - 26.953601953601954)).toBeLessThan(1e-9);
  });

  it('needs sources (coded error)', () => {
    expect(() => computeMetric('sari', { predictions: ['a'], references: ['a'] })).toThrowError(
      expect.objectContaining({
        code: 'invalid_request',
        issues: [expect.objectContaining({ code: 'missing_sources' })],
      }),
    );
  });
});
