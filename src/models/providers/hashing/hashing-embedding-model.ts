/**
 * @module models/providers/hashing/hashing-embedding-model
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

import { TimeSlicer } from '../../../core/time-slice.js';
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../../spec/embedding-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
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

/** Characters visited between checks of the time slice (about a millisecond of work). */
const hashingSliceChars = 2048;

const countInto =
  (counts: Map<string, number>) =>
  (feature: string, weight: number): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  };

/** Scales `vector` to unit length in place (a zero vector stays zero). */
function normalised(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  }
  return vector;
}

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

  /** Embeds one text synchronously; `doEmbed` is this over a batch (in slices for long texts). */
  embedOne(text: string, maxWords?: number): { vector: Float32Array; words: number } {
    const counts = new Map<string, number>();
    const words = visitFeatures(text, countInto(counts), maxWords);
    return { vector: this.#vectorOf(counts), words };
  }

  /**
   * `embedOne` for texts of any length without holding the event loop: the text is visited in
   * slices cut at whitespace (features never span words, so the vector is the same) and the loop
   * yields between slices when its time is up.
   */
  async #embedSliced(
    text: string,
    maxWords: number | undefined,
    slicer: TimeSlicer,
    signal: AbortSignal | undefined,
  ): Promise<{ vector: Float32Array; words: number }> {
    if (text.length <= hashingSliceChars) return this.embedOne(text, maxWords);
    const counts = new Map<string, number>();
    const sink = countInto(counts);
    let words = 0;
    let start = 0;
    while (start < text.length && words < (maxWords ?? Number.POSITIVE_INFINITY)) {
      let end = Math.min(text.length, start + hashingSliceChars);
      // Cut at whitespace; a slice with none (one enormous "word") is taken whole.
      while (end < text.length && end > start && !/\s/.test(text[end]!)) end--;
      if (end === start) {
        const next = text.slice(start + 1).search(/\s/);
        end = next < 0 ? text.length : start + 1 + next;
      }
      words += visitFeatures(text.slice(start, end), sink, (maxWords ?? Number.POSITIVE_INFINITY) - words);
      start = end;
      if (slicer.due()) await slicer.pause(signal);
    }
    // Megabytes of distinct words make millions of features: hash them in slices too.
    const vector = new Float32Array(this.#dimensions);
    let visited = 0;
    for (const [feature, count] of counts) {
      this.#add(vector, feature, count);
      if ((++visited & 1023) === 0 && slicer.due()) await slicer.pause(signal);
    }
    return { vector: normalised(vector), words };
  }

  #vectorOf(counts: Map<string, number>): Float32Array {
    const vector = new Float32Array(this.#dimensions);
    for (const [feature, count] of counts) this.#add(vector, feature, count);
    return normalised(vector);
  }

  #add(vector: Float32Array, feature: string, count: number): void {
    const hash = murmur3(feature, this.#seed);
    // Sublinear term frequency: a word said ten times is not ten times the evidence.
    const value = count >= 1 ? 1 + Math.log(count) : count;
    vector[hash % this.#dimensions]! += hash & 0x80000000 ? -value : value;
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
    const slicer = new TimeSlicer();
    for (const value of options.values) {
      options.abortSignal?.throwIfAborted();
      const { vector, words } = await this.#embedSliced(
        value,
        options.truncateInputTokens,
        slicer,
        options.abortSignal,
      );
      embeddings.push(vector);
      inputTokens += words;
    }
    return { embeddings, usage: { inputTokens }, warnings };
  }
}
