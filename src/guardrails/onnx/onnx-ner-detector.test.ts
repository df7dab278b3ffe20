import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorV1 } from '../../spec/detector.js';
import { writeTinyOnnxNer } from '../../testing/tiny-onnx-ner.js';
import { createOnnxNerDetector } from './onnx-ner-detector.js';

let dir: string;
let ner: DetectorV1;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-ner-'));
  ner = await createOnnxNerDetector({ modelDir: await writeTinyOnnxNer(path.join(dir, 'tiny-ner')) });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ONNX NER detector', () => {
  it('finds people, organisations and places in English and Korean with exact offsets', async () => {
    const text = 'John Smith works at Acme Corporation in Seoul. 김민수는 부산에서 일한다.';
    const spans = await ner.detect(text, { includeText: true });
    expect(spans.map((span) => [span.type, span.text])).toEqual([
      ['PERSON', 'John Smith'],
      ['ORGANIZATION', 'Acme Corporation'],
      ['LOCATION', 'Seoul'],
      ['PERSON', '김민수'],
      ['LOCATION', '부산'],
    ]);
    for (const span of spans) {
      expect(span.detector).toBe('onnx-ner');
      expect(span.version).toBe('1.0.0+tiny-ner');
      expect(span.score).toBeGreaterThan(0.9);
    }
  });

  it('refuses a directory that holds no model, clearly', async () => {
    const error = await createOnnxNerDetector({ modelDir: dir }).catch((caught: unknown) => caught);
    expect((error as { code: string }).code).toBe('invalid_config');
    expect((error as Error).message).toContain(dir);
  });
});
