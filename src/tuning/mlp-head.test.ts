import { describe, expect, it } from 'vitest';
import { charNgramSpec } from '../core/text/char-ngram-features.js';
import type { LabelledText } from './head-core.js';
import { classifyTexts } from './head-model.js';
import { classifyWithMlp, trainMlpHead } from './mlp-head.js';

const spec = charNgramSpec({ dimensions: 2 ** 12 });

function dataset(): LabelledText[] {
  const rude = ['바보', '멍청이', '꺼져', '쓰레기'];
  const kind = ['고마워요', '좋아요', '멋져요', '사랑해요'];
  const out: LabelledText[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({ text: `${rude[i % 4]} 너는 정말 ${rude[(i + 1) % 4]} ${i}`, label: 'hap' });
    // An imbalanced second class: class weights keep it from being ignored.
    if (i % 2 === 0) out.push({ text: `${kind[i % 4]} 오늘도 ${kind[(i + 2) % 4]} ${i}`, label: 'none' });
  }
  return out;
}

describe('MLP head', () => {
  it('learns a separable task with early stopping, class weights and a metrics report', async () => {
    const result = await trainMlpHead(dataset(), spec, { seed: 3, hiddenUnits: 16 });
    expect(result.model.kind).toBe('mlp');
    expect(result.model.labels).toEqual(['hap', 'none']);
    expect(result.validation.accuracy).toBe(1);
    expect(result.validation.perClass.map((c) => c.support)).toEqual([8, 4]);
    expect(result.bestEpoch).toBeGreaterThan(0);
    expect(result.curve.length).toBeLessThanOrEqual(result.hyperParameters.maxEpochs);
    expect(classifyWithMlp(result.model, '이 멍청이 바보').label).toBe('hap');
    const kind = classifyWithMlp(result.model, '정말 고마워요 좋아요');
    expect(kind.label).toBe('none');
    expect(kind.scores.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1, 6);
  });

  it('is deterministic with a seed and differs with another', async () => {
    const a = await trainMlpHead(dataset(), spec, { seed: 9, hiddenUnits: 8 });
    const b = await trainMlpHead(dataset(), spec, { seed: 9, hiddenUnits: 8 });
    const c = await trainMlpHead(dataset(), spec, { seed: 10, hiddenUnits: 8 });
    expect(Buffer.from(a.model.w1.buffer).equals(Buffer.from(b.model.w1.buffer))).toBe(true);
    expect(a.curve).toEqual(b.curve);
    expect(Buffer.from(a.model.w1.buffer).equals(Buffer.from(c.model.w1.buffer))).toBe(false);
  });

  it('calibrates with Platt scaling and sets an operating point', async () => {
    const result = await trainMlpHead(dataset(), spec, {
      seed: 4,
      hiddenUnits: 8,
      calibration: 'platt',
      positiveLabel: 'hap',
      maxFalsePositiveRate: 0,
    });
    expect(result.model.calibration).toMatchObject({ method: 'platt', positive: 0 });
    expect(result.model.operatingPoint?.positiveLabel).toBe('hap');
    const [rude, kind] = await classifyTexts(result.model, ['멍청이 꺼져', '고마워요 멋져요']);
    expect(rude?.label).toBe('hap');
    expect(kind?.label).toBe('none');
    expect(rude?.scores[0]?.probability).toBeGreaterThan(0.5);
  });

  it('trains on embedding features through an embedder', async () => {
    // A stand-in encoder: two directions, one per class word family.
    const embedder = async (_model: string, texts: string[]) =>
      texts.map((t) => (/바보|멍청이|꺼져|쓰레기/.test(t) ? [1, 0.1, 0] : [0.1, 1, 0]));
    const features = { kind: 'embedding' as const, model: 'test:embed', dimensions: 0 };
    const result = await trainMlpHead(dataset(), features, { seed: 1, hiddenUnits: 4 }, { embedder });
    expect(features.dimensions).toBe(3);
    expect(result.validation.accuracy).toBe(1);
    const [prediction] = await classifyTexts(result.model, ['꺼져'], embedder);
    expect(prediction?.label).toBe('hap');
  });
});
