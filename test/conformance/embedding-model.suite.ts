/**
 * The embedding-model conformance suite: every adapter of the embedding-model port must pass it.
 * One vector per input, in order, all of one length, the same text giving the same vector;
 * an empty batch costs nothing; truncation is honoured or warned about; failures are KeelErrors
 * with mapped codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/core/codes.js';
import { KeelError } from '../../src/core/errors.js';
import type { EmbeddingModelV1, EmbedResult } from '../../src/spec/embedding-model.js';

export interface EmbeddingModelExpectations {
  /** Vector length, when known in advance. */
  dimensions?: number;
  /** Usage reports input tokens (> 0). Default true. */
  reportsInputTokens?: boolean;
  /** Whether `truncateInputTokens` is honoured (true) or warned about (false); unchecked when absent. */
  truncates?: boolean;
  /** Calls that must fail with a given Keel error code. */
  failures?: { name: string; model: EmbeddingModelV1; code: ErrorCode }[] | undefined;
}

export interface EmbeddingModelFixture {
  model: EmbeddingModelV1;
  dispose(): Promise<void>;
  expectations?: EmbeddingModelExpectations;
}

const texts = ['The quick brown fox.', '빠른 갈색 여우', 'Keel serves models.'];

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return dot / Math.sqrt(normA * normB);
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

export function runEmbeddingModelSuite(name: string, makeModel: () => Promise<EmbeddingModelFixture>): void {
  describe(`embedding-model conformance: ${name}`, () => {
    let fixture: EmbeddingModelFixture;
    let model: EmbeddingModelV1;
    let expectations: EmbeddingModelExpectations;

    beforeAll(async () => {
      fixture = await makeModel();
      model = fixture.model;
      expectations = fixture.expectations ?? {};
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('identifies itself', () => {
      expect(model.specificationVersion).toBe('v1');
      expect(model.provider).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(model.modelId.length).toBeGreaterThan(0);
      expect(Number.isInteger(model.maxEmbeddingsPerCall) && model.maxEmbeddingsPerCall > 0).toBe(true);
    });

    it('embeds a batch: one finite vector per input, in order, all of one length', async () => {
      const result = await model.doEmbed({ values: texts });
      expect(result.embeddings).toHaveLength(texts.length);
      const width = result.embeddings[0]!.length;
      expect(width).toBeGreaterThan(0);
      if (expectations.dimensions !== undefined) expect(width).toBe(expectations.dimensions);
      for (const vector of result.embeddings) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBe(width);
        expect(vector.every(Number.isFinite)).toBe(true);
        expect(vector.some((value) => value !== 0)).toBe(true);
      }
      expect(Number.isInteger(result.usage.inputTokens) && result.usage.inputTokens >= 0).toBe(true);
      if (expectations.reportsInputTokens ?? true) expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.warnings).toEqual([]);
      const dimensions = await model.dimensions();
      if (dimensions !== undefined) expect(dimensions).toBe(width);
    });

    it('gives the same vector for the same text, in any batch and position', async () => {
      const forward = await model.doEmbed({ values: texts });
      const backward = await model.doEmbed({ values: [...texts].reverse() });
      const single = await model.doEmbed({ values: [texts[1]!] });
      texts.forEach((_text, index) => {
        expect(
          cosine(forward.embeddings[index]!, backward.embeddings[texts.length - 1 - index]!),
        ).toBeGreaterThan(0.9999);
      });
      expect(cosine(forward.embeddings[1]!, single.embeddings[0]!)).toBeGreaterThan(0.9999);
      expect(cosine(forward.embeddings[0]!, forward.embeddings[2]!)).toBeLessThan(0.9999);
    });

    it('answers an empty batch without vectors', async () => {
      const result: EmbedResult = await model.doEmbed({ values: [] });
      expect(result.embeddings).toEqual([]);
      expect(result.usage.inputTokens).toBe(0);
    });

    it('truncates inputs, or warns that it cannot', async () => {
      const result = await model.doEmbed({ values: [texts[0]!.repeat(20)], truncateInputTokens: 8 });
      expect(result.embeddings).toHaveLength(1);
      for (const warning of result.warnings) {
        expect(warning.type).toBe('unsupported-setting');
        expect(warning.setting).toBe('truncate_input_tokens');
        expect(warning.message.length).toBeGreaterThan(0);
      }
      if (expectations.truncates !== undefined)
        expect(result.warnings.length === 0).toBe(expectations.truncates);
    });

    it('rejects a call whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await caught(model.doEmbed({ values: texts, abortSignal: controller.signal }));
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('client_closed');
    });

    it('fails with KeelErrors carrying mapped codes', async () => {
      for (const failure of expectations.failures ?? []) {
        const error = await caught(failure.model.doEmbed({ values: texts }));
        expect(error, failure.name).toBeInstanceOf(KeelError);
        expect((error as KeelError).code, failure.name).toBe(failure.code);
      }
    });
  });
}
