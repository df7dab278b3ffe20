/**
 * @module tuning/head-features
 * The frozen encoders a head trains on: hashed character n-grams (in-process, synchronous) or a
 * provider's embedding model, called through the provider registry's `embed` (any `provider:model`
 * the registry resolves: llama.cpp, Ollama, an OpenAI-compatible server, `hashing:ngram-v1`).
 * Embeddings are L2-normalised and carried as dense rows of the same sparse-vector shape, so every
 * head trainer reads one kind of input.
 */
import { KeelError } from '../core/errors.js';
import { type CharNgramSpec, featurise, type SparseVector } from '../core/text/char-ngram-features.js';

export interface EmbeddingFeatureSpec {
  kind: 'embedding';
  /** The registry id, `provider:model`. */
  model: string;
  /** Vector size, learnt from the first batch. */
  dimensions: number;
}

export type FeatureSpec = CharNgramSpec | EmbeddingFeatureSpec;

/** Embeds texts with a registry model (the tuning service passes the registry's `embed`). */
export type Embedder = (model: string, texts: string[], signal?: AbortSignal) => Promise<ArrayLike<number>[]>;

const BATCH = 64;

function dense(values: ArrayLike<number>): SparseVector {
  let norm = 0;
  for (let i = 0; i < values.length; i++) norm += (values[i] as number) ** 2;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const indices = new Uint32Array(values.length);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    indices[i] = i;
    out[i] = (values[i] as number) * scale;
  }
  return { indices, values: out };
}

/** A short, stable description of the frozen encoder, for lineage (`char-ngram 1-3 x 2^18`). */
export function baseEncoderOf(spec: FeatureSpec): string {
  return spec.kind === 'embedding'
    ? spec.model
    : `char-ngram ${spec.minN}-${spec.maxN} x 2^${Math.log2(spec.dimensions)}`;
}

/**
 * Encodes texts. For embedding features the spec's `dimensions` is set from the first batch and
 * every later vector must match it.
 */
export async function encodeTexts(
  texts: string[],
  spec: FeatureSpec,
  embedder?: Embedder,
  signal?: AbortSignal,
): Promise<SparseVector[]> {
  if (spec.kind === 'char-ngram') return texts.map((t) => featurise(t, spec));
  if (!embedder) {
    throw new KeelError('invalid_request', `Embedding features (${spec.model}) need the model registry.`, {
      issues: [{ code: 'no_embedder', path: ['features', 'model'], message: 'no embedding registry' }],
    });
  }
  const out: SparseVector[] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    signal?.throwIfAborted();
    const vectors = await embedder(spec.model, texts.slice(i, i + BATCH), signal);
    for (const vector of vectors) {
      if (spec.dimensions === 0) spec.dimensions = vector.length;
      if (vector.length !== spec.dimensions) {
        throw new KeelError(
          'upstream_error',
          `${spec.model} returned ${vector.length} dimensions; the head expects ${spec.dimensions}.`,
        );
      }
      out.push(dense(vector));
    }
  }
  return out;
}
