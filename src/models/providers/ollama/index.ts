/**
 * @module models/providers/ollama
 * An Ollama server as `<name>:<model>`, over its native API. See
 * docs/decisions/0003-remote-providers.md.
 */
export { OllamaEmbeddingModel } from './ollama-embedding-model.js';
export { OllamaLanguageModel } from './ollama-language-model.js';
export { createOllamaProvider, type OllamaProviderSettings } from './ollama-provider.js';
