import { describe, expect, it } from 'vitest';
import type { KeelError } from '../core/errors.js';
import { charNgramSpec } from '../core/text/char-ngram-features.js';
import { HashingEmbeddingModel } from '../models/providers/hashing/index.js';
import type { Embedder, EmbeddingFeatureSpec } from './head-features.js';
import { bioSpans, spanReport, type TaggedSentence, tagText, tokenize, trainTagger } from './token-tagger.js';

const people = ['Kim', 'Park', 'Lee', 'Choi', 'Jung', 'Kang'];
const cities = ['Seoul', 'Busan', 'Daegu', 'Incheon', 'Gwangju'];

function sentences(n: number): TaggedSentence[] {
  const out: TaggedSentence[] = [];
  for (let i = 0; i < n; i++) {
    const who = people[i % people.length] as string;
    const city = cities[i % cities.length] as string;
    out.push({
      tokens: ['yesterday', 'I', 'met', who, 'Minsu', 'in', city, 'again'],
      tags: ['O', 'O', 'O', 'B-PER', 'I-PER', 'O', 'B-LOC', 'O'],
    });
    out.push({ tokens: ['the', 'weather', 'was', 'fine', 'today'], tags: ['O', 'O', 'O', 'O', 'O'] });
  }
  return out;
}

const codeOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    return (error as KeelError).issues?.[0]?.code ?? (error as KeelError).code;
  }
  return 'none';
};

describe('span helpers', () => {
  it('reads BIO spans CoNLL style (an I- after O or another type opens a span)', () => {
    expect(bioSpans(['B-PER', 'I-PER', 'O', 'I-LOC', 'B-LOC', 'I-ORG'])).toEqual([
      { type: 'PER', start: 0, end: 2 },
      { type: 'LOC', start: 3, end: 4 },
      { type: 'LOC', start: 4, end: 5 },
      { type: 'ORG', start: 5, end: 6 },
    ]);
  });

  it('scores spans by exact type and edges', () => {
    const report = spanReport(
      [
        ['B-PER', 'I-PER', 'O', 'B-LOC'],
        ['B-ORG', 'O'],
      ],
      [
        ['B-PER', 'O', 'O', 'B-LOC'],
        ['B-ORG', 'O'],
      ],
    );
    expect(report.precision).toBeCloseTo(2 / 3);
    expect(report.recall).toBeCloseTo(2 / 3);
    expect(report.perType.PER).toMatchObject({ f1: 0, support: 1 });
    expect(report.perType.LOC).toMatchObject({ f1: 1, support: 1 });
  });

  it('tokenises words with offsets, or every character', () => {
    expect(tokenize("Kim's car, 2024!", 'word').map((t) => t.text)).toEqual([
      "Kim's",
      'car',
      ',',
      '2024',
      '!',
    ]);
    expect(tokenize('김 씨', 'char').map((t) => [t.text, t.start])).toEqual([
      ['김', 0],
      [' ', 1],
      ['씨', 2],
    ]);
  });
});

describe('token tagger', () => {
  it('learns entities from their context, seeded and reproducible, with a span report', async () => {
    const spec = charNgramSpec({ dimensions: 2 ** 14 });
    const first = await trainTagger(sentences(40), spec, { seed: 3 });
    const again = await trainTagger(sentences(40), spec, { seed: 3 });
    expect(Array.from(again.model.weights)).toEqual(Array.from(first.model.weights));
    expect(first.model.labels).toEqual(['B-LOC', 'B-PER', 'I-PER', 'O']);
    expect(first.spans.f1).toBeGreaterThan(0.9);
    expect(first.validation.count).toBeGreaterThan(0);

    const tagged = await tagText(first.model, 'yesterday I met Kim Minsu in Seoul again');
    expect(tagged.entities.map((e) => [e.type, e.text])).toEqual([
      ['PER', 'Kim Minsu'],
      ['LOC', 'Seoul'],
    ]);
    expect(tagged.entities[0]?.score).toBeGreaterThan(0.5);
  });

  it('trains on a provider’s embeddings of each token and its window, and serves through the same embedder', async () => {
    // The registry's offline embedding model (hashing:ngram-v1), called as the registry calls it.
    const model = new HashingEmbeddingModel({ dimensions: 256 });
    const calls: number[] = [];
    const embedder: Embedder = async (_id, texts) => {
      calls.push(texts.length);
      return (await model.doEmbed({ values: texts })).embeddings;
    };
    const features: EmbeddingFeatureSpec = { kind: 'embedding', model: 'hashing:ngram-v1', dimensions: 0 };
    const first = await trainTagger(sentences(30), features, { seed: 4 }, { embedder });
    expect(features.dimensions).toBe(256);
    expect(first.model.features).toMatchObject({ kind: 'embedding', model: 'hashing:ngram-v1' });
    expect(first.model.weights.length).toBe(2 * 256 * first.model.labels.length);
    // Each distinct token and window text is embedded once, in batches.
    expect(calls.length).toBeGreaterThan(0);
    expect(first.spans.f1).toBeGreaterThan(0.9);

    const again = await trainTagger(sentences(30), { ...features, dimensions: 0 }, { seed: 4 }, { embedder });
    expect(Array.from(again.model.weights)).toEqual(Array.from(first.model.weights));

    const tagged = await tagText(first.model, 'yesterday I met Park Minsu in Busan again', embedder);
    expect(tagged.entities.map((e) => [e.type, e.text])).toEqual([
      ['PER', 'Park Minsu'],
      ['LOC', 'Busan'],
    ]);
    // Without the registry an embedding tagger cannot encode, and says so.
    expect(await codeOf(tagText(first.model, 'hello'))).toBe('no_embedder');
    // A model that answers with other dimensions than the head was trained on is refused.
    const other = new HashingEmbeddingModel({ dimensions: 128 });
    const wrong: Embedder = async (_id, texts) => (await other.doEmbed({ values: texts })).embeddings;
    expect(await codeOf(tagText(first.model, 'hello there', wrong))).toBe('upstream_error');
  });

  it('refuses bad datasets with coded errors', async () => {
    const spec = charNgramSpec({ dimensions: 2 ** 10 });
    expect(await codeOf(trainTagger([{ tokens: ['a', 'b'], tags: ['O'] }, ...sentences(2)], spec))).toBe(
      'length_mismatch',
    );
    const plain = sentences(3).filter((s) => s.tags.every((t) => t === 'O'));
    expect(await codeOf(trainTagger(plain, spec))).toBe('single_class');
    expect(
      await codeOf(
        trainTagger(
          sentences(4),
          spec,
          {},
          { validation: [{ tokens: ['met', 'Kim'], tags: ['O', 'B-PER'] }] },
        ),
      ),
    ).toBe('label_missing_in_validation');
  });
});
