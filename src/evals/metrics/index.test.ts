import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetric, listMetrics, type MetricInfo, metricInfo, metricNames } from './index.js';

const textMetrics = [
  'rouge1',
  'rouge2',
  'rougeL',
  'rougeLsum',
  'bleu',
  'sacrebleu',
  'chrf',
  'meteor',
  'exact_match',
  'f1',
];

describe('metric registry', () => {
  it('lists every metric the API promises, with metadata', () => {
    for (const name of [...textMetrics, 'sari', 'accuracy']) expect(metricNames).toContain(name);
    expect(metricInfo('sari')).toMatchObject({ needsReferences: true, needsSources: true, range: [0, 100] });
    expect(metricInfo('latency')).toMatchObject({ higherIsBetter: false, family: 'cost' });
    expect(metricInfo('nope')).toBeUndefined();
    expect(listMetrics()).toHaveLength(metricNames.length);
  });

  it('answers mistakes with coded issues', () => {
    const issueOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code: string; issues: { code: string }[] }).issues[0]?.code;
      }
      return undefined;
    };
    expect(issueOf(() => computeMetric('nope', { predictions: ['a'] }))).toBe('unknown_metric');
    expect(issueOf(() => computeMetric('rouge1', { predictions: ['a'] }))).toBe('missing_references');
    expect(issueOf(() => computeMetric('rouge1', { predictions: ['a'], references: ['a', 'b'] }))).toBe(
      'length_mismatch',
    );
    expect(issueOf(() => computeMetric('rouge1', { predictions: [] }))).toBe('empty_predictions');
    expect(issueOf(() => computeMetric('rouge1', { predictions: [{}], references: ['a'] }))).toBe(
      'invalid_type',
    );
    expect(issueOf(() => computeMetric('rouge1', { predictions: ['a'], references: [[]] }))).toBe(
      'empty_references',
    );
    expect(
      issueOf(() => computeMetric('chrf', { predictions: ['a'], references: ['a'], options: { beta: 'x' } })),
    ).toBe('invalid_option');
  });
});

describe('metric properties', () => {
  const sentence = fc
    .array(fc.constantFrom('dog', 'cat', 'sat', 'on', 'mat', '학교', '학생은', 'data', 'model', 'run'), {
      minLength: 1,
      maxLength: 12,
    })
    .map((words) => words.join(' '));

  it('keeps every score and per-item score in the declared range', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sentence, sentence), { minLength: 1, maxLength: 5 }), (pairs) => {
        for (const name of textMetrics) {
          const [low, high] = (metricInfo(name) as MetricInfo).range;
          const result = computeMetric(name, {
            predictions: pairs.map(([p]) => p),
            references: pairs.map(([, r]) => r),
          });
          for (const value of [result.score, ...result.per_item]) {
            if (!(value >= low - 1e-9 && value <= high + 1e-9)) return false;
          }
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });

  it('gives the maximum when the prediction is the reference', () => {
    fc.assert(
      fc.property(sentence, (text) => {
        for (const name of ['rouge1', 'rougeL', 'rougeLsum', 'chrf', 'exact_match', 'f1']) {
          const options = name.startsWith('rouge') ? { tokenizer: 'korean' } : {};
          const result = computeMetric(name, { predictions: [text], references: [text], options });
          const high = (metricInfo(name) as MetricInfo).range[1];
          if (Math.abs(result.score - high) > 1e-9) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});
