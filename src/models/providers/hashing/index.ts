/**
 * @module models/providers/hashing
 * The built-in lexical embedder as a provider: `hashing:ngram-v1` and `hashing:ngram-v1-<d>`.
 * Word stems and character n-grams, signed feature hashing; it needs no model file.
 */
export { defaultHashingDimensions, HashingEmbeddingModel } from './hashing-embedding-model.js';
export { createHashingProvider, type HashingProviderOptions } from './hashing-provider.js';
