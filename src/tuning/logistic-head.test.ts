import { describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { charNgramSpec } from '../core/text/char-ngram-features.js';
import { classifyWithHead, type LabelledText, trainLogisticHead } from './logistic-head.js';

const spec = charNgramSpec({ dimensions: 2 ** 12 });

function dataset(): LabelledText[] {
  const rude = ['바보', '멍청이', '꺼져', '쓰레기'];
  const kind = ['고마워요', '좋아요', '멋져요', '사랑해요'];
  const out: LabelledText[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({ text: `${rude[i % 4]} 너는 정말 ${rude[(i + 1) % 4]} ${i}`, label: 'hap' });
    out.push({ text: `${kind[i % 4]} 오늘도 ${kind[(i + 2) % 4]} ${i}`, label: 'none' });
  }
  return out;
}

describe('logistic head', () => {
  it('learns a separable task and reports metrics', async () => {
    const result = await trainLogisticHead(dataset(), spec, { seed: 3 });
    expect(result.model.labels).toEqual(['hap', 'none']);
    expect(result.validation.accuracy).toBe(1);
    expect(result.validation.macroF1).toBe(1);
    expect(result.validation.confusion).toEqual([
      [8, 0],
      [0, 8],
    ]);
    expect(result.validationCount).toBe(16);
    expect(result.curve.length).toBeGreaterThan(0);
    expect(result.model.calibration).toMatchObject({ method: 'temperature' });
    expect(classifyWithHead(result.model, '이 멍청이 바보').label).toBe('hap');
    const kind = classifyWithHead(result.model, '정말 고마워요 좋아요');
    expect(kind.label).toBe('none');
    expect(kind.scores.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1, 6);
  });

  it('is deterministic with a seed', async () => {
    const a = await trainLogisticHead(dataset(), spec, { seed: 9 });
    const b = await trainLogisticHead(dataset(), spec, { seed: 9 });
    expect(Buffer.from(a.model.weights.buffer).equals(Buffer.from(b.model.weights.buffer))).toBe(true);
    expect(a.curve).toEqual(b.curve);
  });

  it('sets an operating point within the validation false-positive limit', async () => {
    const result = await trainLogisticHead(dataset(), spec, {
      seed: 3,
      positiveLabel: 'hap',
      maxFalsePositiveRate: 0,
    });
    expect(result.model.operatingPoint?.positiveLabel).toBe('hap');
    expect(result.validation.confusion[1]?.[0]).toBe(0);
  });

  it('refuses one class and labels missing in validation with coded errors', async () => {
    const one = dataset().filter((e) => e.label === 'hap');
    await expect(trainLogisticHead(one, spec)).rejects.toMatchObject({
      code: 'invalid_dataset',
      issues: [expect.objectContaining({ code: 'single_class' })],
    });
    const lonely = [...dataset(), { text: '혼자', label: 'rare' }];
    await expect(trainLogisticHead(lonely, spec)).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'label_missing_in_validation' })],
    });
    const error = await trainLogisticHead(dataset(), spec, {}, { validation: dataset().slice(0, 1) }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(KeelError);
    expect(error.issues[0].code).toBe('label_missing_in_validation');
  });
});
