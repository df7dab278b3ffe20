/**
 * The onnx provider on a real ONNX export (the tiny Gather encoder the tests write), run by
 * @huggingface/transformers: listing, batched mean-pooled embeddings checked against the table by
 * hand, determinism, the registry and keel.yaml paths, and coded errors for bad folders.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { tinyEncoderTable, writeTinyOnnxEncoder } from '../../../testing/tiny-onnx-encoder.js';
import { createDefaultProviders } from '../../default-providers.js';
import { ProviderRegistry } from '../../provider-registry.js';
import { createOnnxProvider } from './index.js';

let root: string;
let modelsDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'keel-onnx-provider-'));
  modelsDir = path.join(root, 'models', 'onnx');
  await writeTinyOnnxEncoder(path.join(modelsDir, 'tiny'));
  await writeTinyOnnxEncoder(path.join(modelsDir, 'tiny-16'), { dimensions: 16, seed: 7 });
  // Incomplete: no onnx/model.onnx.
  await mkdir(path.join(modelsDir, 'half'), { recursive: true });
  await writeFile(path.join(modelsDir, 'half', 'config.json'), '{"model_type":"bert"}');
  // Complete but the model is not ONNX.
  await writeTinyOnnxEncoder(path.join(modelsDir, 'corrupt'));
  await writeFile(path.join(modelsDir, 'corrupt', 'onnx', 'model.onnx'), 'not a model');
  await writeFile(path.join(modelsDir, 'README.txt'), 'not a folder');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Mean of the token rows ([CLS] word… [SEP]), L2-normalised: what the provider must return. */
function expected(words: string[]): number[] {
  const { vocab, table, dimensions } = tinyEncoderTable();
  const rows = ['[CLS]', ...words, '[SEP]'].map((token) => vocab[token] ?? (vocab['[UNK]'] as number));
  const mean = Array.from(
    { length: dimensions },
    (_, d) => rows.reduce((sum, row) => sum + (table[row * dimensions + d] as number), 0) / rows.length,
  );
  const norm = Math.hypot(...mean);
  return mean.map((value) => value / norm);
}

describe('onnx provider', () => {
  it('lists each complete export folder as an embedding model', async () => {
    const provider = createOnnxProvider({ modelsDir });
    const models = await provider.listModels();
    expect(models.map((model) => model.id)).toEqual(['onnx:corrupt', 'onnx:tiny', 'onnx:tiny-16']);
    expect(models[1]).toMatchObject({
      provider: 'onnx',
      modelId: 'tiny',
      kinds: ['embedding'],
      tasks: ['embed'],
      details: { format: 'onnx', family: 'bert', dimensions: 32 },
    });
    expect(await createOnnxProvider({ modelsDir: path.join(root, 'absent') }).listModels()).toEqual([]);
    expect((await createOnnxProvider({ modelsDir: path.join(root, 'absent') }).status()).reachable).toBe(
      false,
    );
  });

  it('embeds a batch with mean pooling and L2 normalisation, deterministically', async () => {
    const provider = createOnnxProvider({ modelsDir });
    try {
      const model = provider.embeddingModel('tiny');
      expect(await model.dimensions()).toBe(32);
      // 40 texts: more than one pipeline batch, texts of different lengths padded together.
      const texts = Array.from({ length: 40 }, (_, i) =>
        i % 2 ? 'the report is late' : `Great service ${i % 3 ? '바보' : '고마워요 좋아요'}`,
      );
      const first = await model.doEmbed({ values: texts });
      expect(first.embeddings).toHaveLength(40);
      expect(first.usage.inputTokens).toBeGreaterThan(40 * 3);
      for (const vector of first.embeddings) {
        expect(vector).toHaveLength(32);
        expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
      }
      const late = Array.from(first.embeddings[1] as Float32Array);
      expected(['the', 'report', 'is', 'late']).forEach((value, d) => expect(late[d]).toBeCloseTo(value, 5));
      const korean = Array.from(first.embeddings[0] as Float32Array);
      expected(['great', 'service', '고마워요', '좋아요']).forEach((value, d) =>
        expect(korean[d]).toBeCloseTo(value, 5),
      );
      // An unknown word is [UNK], not skipped.
      const unknown = await model.doEmbed({ values: ['zebra'] });
      expected(['[UNK]']).forEach((value, d) => expect(unknown.embeddings[0]?.[d]).toBeCloseTo(value, 5));

      const again = await createOnnxProvider({ modelsDir }).embeddingModel('tiny').doEmbed({ values: texts });
      expect(again.embeddings.map((v) => Array.from(v))).toEqual(first.embeddings.map((v) => Array.from(v)));
      // Another folder is another model.
      const other = await provider.embeddingModel('tiny-16').doEmbed({ values: ['the report is late'] });
      expect(other.embeddings[0]).toHaveLength(16);
    } finally {
      await provider.close();
    }
  });

  it('refuses missing, unsafe and broken folders with coded errors', async () => {
    const provider = createOnnxProvider({ modelsDir });
    expect(() => provider.embeddingModel('nope')).toThrow(
      expect.objectContaining({ code: 'model_not_found' }),
    );
    expect(() => provider.embeddingModel('../onnx')).toThrow(
      expect.objectContaining({ code: 'model_not_found' }),
    );
    expect(() => provider.embeddingModel('README.txt')).toThrow(
      expect.objectContaining({ code: 'model_not_found' }),
    );
    expect(() => provider.embeddingModel('half')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('tokenizer.json') }),
    );
    await expect(provider.embeddingModel('corrupt').doEmbed({ values: ['late'] })).rejects.toMatchObject({
      code: 'invalid_config',
    });
    expect(() => provider.languageModel('tiny')).toThrow(
      expect.objectContaining({ code: 'model_not_found' }),
    );
    expect(() => provider.rerankModel('tiny')).toThrow(expect.objectContaining({ code: 'not_implemented' }));
  });

  it('is configured from keel.yaml (default folder <dataDir>/models/onnx) and embeds through the registry', async () => {
    const config = loadConfig({
      cwd: root,
      env: {},
      overrides: { dataDir: root, providers: [{ type: 'onnx', name: 'local' }] },
    });
    const providers = await createDefaultProviders(config, createLogger('silent'));
    const registry = new ProviderRegistry(providers);
    try {
      expect((await registry.listModels()).models.map((model) => model.id)).toContain('local:tiny');
      const { embeddings } = await registry.embeddingModel('local:tiny').doEmbed({ values: ['late'] });
      expected(['late']).forEach((value, d) => expect(embeddings[0]?.[d]).toBeCloseTo(value, 5));
    } finally {
      await registry.close();
    }
    expect(() =>
      loadConfig({
        cwd: root,
        env: {},
        overrides: { providers: [{ type: 'onnx', name: 'x', baseURL: 'http://a' } as never] },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });
});
