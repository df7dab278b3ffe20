/**
 * @module models/providers/llamacpp
 * Embedded inference with llama.cpp (through node-llama-cpp): GGUF models from the models
 * directory, served in-process as `llamacpp:<file stem>`. See docs/architecture/language-model.md
 * and docs/decisions/0002-embedded-inference-llamacpp.md.
 */
export { LlamaCppEmbeddingModel } from './llamacpp-embedding-model.js';
export { LlamaCppLanguageModel } from './llamacpp-language-model.js';
export {
  createLlamaCppProvider,
  type LlamaCppProvider,
  type LlamaCppProviderOptions,
} from './llamacpp-provider.js';
export { LlamaCppRerankModel } from './llamacpp-rerank-model.js';
