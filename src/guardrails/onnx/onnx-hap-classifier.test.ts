import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorV1 } from '../../spec/detector.js';
import { writeTinyOnnxHapClassifier } from '../../testing/tiny-onnx-ner.js';
import { createOnnxHapClassifier } from './onnx-hap-classifier.js';

let dir: string;
let hap: DetectorV1;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-hapcls-'));
  hap = await createOnnxHapClassifier({
    modelDir: await writeTinyOnnxHapClassifier(path.join(dir, 'tiny-hap')),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ONNX HAP classifier', () => {
  it('scores each sentence and maps the labels onto hate, abuse and profanity', async () => {
    const text = 'Have a nice day. They are vermin. 이 멍청이 같으니.';
    const spans = await hap.detect(text, { includeText: true });
    expect(spans.map((span) => [span.type, span.text])).toEqual([
      ['hate', 'They are vermin.'],
      ['abuse', '이 멍청이 같으니.'],
    ]);
    expect(spans.every((span) => span.detector === 'onnx-hap' && span.score > 0.9)).toBe(true);
  });

  it('refuses a directory that holds no model, clearly', async () => {
    const error = await createOnnxHapClassifier({ modelDir: dir }).catch((caught: unknown) => caught);
    expect((error as { code: string }).code).toBe('invalid_config');
  });
});
