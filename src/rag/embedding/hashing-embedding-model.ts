/**
 * @module rag/embedding/hashing-embedding-model
 * A built-in, dependency-free embedding model: word and character n-gram features (Hangul-aware),
 * signed feature hashing (MurmurHash3; the sign from a second hash cancels collisions on
 * average), sublinear counts, L2-normalised Float32Array vectors. It is LEXICAL, not semantic: two
 * texts are close when they share words and word pieces, not when they mean the same thing. It
 * works with no model file at all — the offline default and the test embedder.
 *
 * @example
 * const model = new HashingEmbeddingModel({ dimensions: 384 });
 * const { embeddings } = await model.doEmbed({ values: ['서울의 인구', 'population of Seoul'] });
 */
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../spec/embedding-model.js';
import type { CallWarning } from '../../spec/warnings.js';
import { visitFeatures } from './hashing-features.js';
import { murmur3 } from './murmur3.js';

export interface HashingEmbeddingOptions {
  /** Vector length (default 512). */
  dimensions?: number;
  /** Hash seed; a different seed is a different model. */
  seed?: number;
  /** Provider name the model reports (default `hashing`). */
  provider?: string;
  modelId?: string;
}

export const defaultHashingDimensions = 512;

export class HashingEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider: string;
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = 1024;
  readonly #dimensions: number;
  readonly #seed: number;

  constructor(options: HashingEmbeddingOptions = {}) {
    this.#dimensions = options.dimensions ?? defaultHashingDimensions;
    if (!Number.isInteger(this.#dimensions) || this.#dimensions < 8 || this.#dimensions > 65_536) {
      throw new RangeError(
        `Hashing embedder dimensions must be an integer in 8–65536, got ${this.#dimensions}.`,
      );
    }
    this.#seed = options.seed ?? 0x6b65656c; // "keel"
    this.provider = options.provider ?? 'hashing';
    this.modelId = options.modelId ?? 'ngram-v1';
  }

  async dimensions(): Promise<number> {
    return this.#dimensions;
  }

  /** Embeds one text synchronously; `doEmbed` is this over a batch. */
  embedOne(text: string, maxWords?: number): { vector: Float32Array; words: number } {
    const counts = new Map<string, number>();
    const words = visitFeatures(
      text,
      (feature, weight) => counts.set(feature, (counts.get(feature) ?? 0) + weight),
      maxWords,
    );
    const vector = new Float32Array(this.#dimensions);
    const dimensions = this.#dimensions;
    for (const [feature, count] of counts) {
      const hash = murmur3(feature, this.#seed);
      // Sublinear term frequency: a word said ten times is not ten times the evidence.
      const value = count >= 1 ? 1 + Math.log(count) : count;
      vector[hash % dimensions]! += hash & 0x80000000 ? -value : value;
    }
    let norm = 0;
    for (let i = 0; i < dimensions; i++) norm += vector[i]! * vector[i]!;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < dimensions; i++) vector[i]! *= scale;
    }
    return { vector, words };
  }

  async doEmbed(options: EmbedOptions): Promise<EmbedResult> {
    const warnings: CallWarning[] = [];
    if (options.providerOptions && Object.keys(options.providerOptions).length > 0) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'providerOptions',
        message: 'The hashing embedder has no provider options.',
      });
    }
    const embeddings: Float32Array[] = [];
    let inputTokens = 0;
    for (const value of options.values) {
      options.abortSignal?.throwIfAborted();
      const { vector, words } = this.embedOne(value, options.truncateInputTokens);
      embeddings.push(vector);
      inputTokens += words;
    }
    return { embeddings, usage: { inputTokens }, warnings };
  }
}
