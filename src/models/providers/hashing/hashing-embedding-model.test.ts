import { describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../../provider-registry.js';
import { HashingEmbeddingModel } from './hashing-embedding-model.js';
import { createHashingProvider } from './hashing-provider.js';
import { murmur3 } from './murmur3.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('HashingEmbeddingModel', () => {
  it('is deterministic, L2-normalised and of the configured dimension', async () => {
    const model = new HashingEmbeddingModel({ dimensions: 384 });
    expect(await model.dimensions()).toBe(384);
    const { embeddings, usage } = await model.doEmbed({
      values: ['서울의 인구는 약 천만 명이다', 'The population of Seoul'],
    });
    const again = await new HashingEmbeddingModel({ dimensions: 384 }).doEmbed({
      values: ['서울의 인구는 약 천만 명이다'],
    });
    expect(embeddings[0]).toEqual(again.embeddings[0]);
    expect(embeddings[0]).toBeInstanceOf(Float32Array);
    expect(embeddings[0]!.length).toBe(384);
    for (const vector of embeddings) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(usage.inputTokens).toBeGreaterThan(0);
  });

  it('puts texts that share words (across particles and inflections) closer than unrelated ones', () => {
    const model = new HashingEmbeddingModel();
    const query = model.embedOne('임시정부가 수립된 도시').vector;
    const related = model.embedOne('대한민국 임시정부는 상하이에서 수립되었다').vector;
    const unrelated = model.embedOne('고양이는 생선을 좋아한다').vector;
    expect(dot(query, related)).toBeGreaterThan(dot(query, unrelated) + 0.1);
    const english = model.embedOne('running shoes for marathons').vector;
    expect(dot(english, model.embedOne('a marathon runner needs shoes').vector)).toBeGreaterThan(
      dot(english, model.embedOne('tax law in the European Union').vector),
    );
  });

  it('gives an empty text the zero vector and honours truncateInputTokens', async () => {
    const model = new HashingEmbeddingModel({ dimensions: 64 });
    expect([...model.embedOne('  ... ').vector].every((value) => value === 0)).toBe(true);
    const { embeddings } = await model.doEmbed({
      values: ['alpha beta gamma delta'],
      truncateInputTokens: 2,
    });
    expect(embeddings[0]).toEqual(model.embedOne('alpha beta').vector);
    expect(() => new HashingEmbeddingModel({ dimensions: 3 })).toThrow(RangeError);
  });

  it('hashes with MurmurHash3', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('keel')).toBe(murmur3('keel'));
    expect(murmur3('keel')).not.toBe(murmur3('keel', 1));
  });
});

describe('HashingEmbeddingModel on large inputs', () => {
  it('embeds long texts in slices: the same vector, and the event loop keeps turning', async () => {
    const model = new HashingEmbeddingModel({ dimensions: 64 });
    const words = Array.from({ length: 30_000 }, (_, i) => `w${(i * 2654435761) % 1_000_003}`);
    const text = `${words.join(' ')} 서울의 인구는\n\t끝`;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const sliced = await model.doEmbed({ values: [text], truncateInputTokens: 100_000 });
    clearInterval(timer);
    // Before slicing, one synchronous call held the loop for its whole length: no tick at all.
    expect(ticks).toBeGreaterThan(5);
    const whole = model.embedOne(text, 100_000);
    expect(sliced.usage.inputTokens).toBe(whole.words);
    expect(Array.from(sliced.embeddings[0]!)).toEqual(Array.from(whole.vector));
  });

  it('embeds a long text with no whitespace at all', async () => {
    const model = new HashingEmbeddingModel({ dimensions: 16 });
    const text = ` ${'x'.repeat(50_000)}`;
    const { embeddings } = await model.doEmbed({ values: [text] });
    expect(Array.from(embeddings[0]!)).toEqual(Array.from(model.embedOne(text).vector));
  });
});

describe('hashing provider', () => {
  it('offers hashing:ngram-v1 and dimension variants through the registry', async () => {
    const registry = new ProviderRegistry([createHashingProvider()]);
    const model = registry.embeddingModel('hashing:ngram-v1');
    expect(model.provider).toBe('hashing');
    expect(await model.dimensions()).toBe(512);
    expect(await registry.embeddingModel('hashing:ngram-v1-384').dimensions()).toBe(384);
    expect(() => registry.embeddingModel('hashing:other')).toThrow(/not found/);
    const provider = createHashingProvider();
    expect(() => provider.languageModel('x')).toThrow(/only embeds/);
    expect(() => provider.rerankModel('x')).toThrow(/no rerank/);
    const [info] = await provider.listModels();
    expect(info).toMatchObject({
      id: 'hashing:ngram-v1',
      kinds: ['embedding'],
      details: { semantic: false },
    });
  });
});
