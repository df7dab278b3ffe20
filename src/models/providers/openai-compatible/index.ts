/**
 * @module models/providers/openai-compatible
 * Servers that speak the OpenAI API (OpenAI, Azure OpenAI, vLLM, TGI, LM Studio, llama.cpp
 * server) as `<name>:<model>`. See docs/decisions/0003-remote-providers.md.
 */
export { type DialectSpec, dialects, type OpenAIDialect } from './openai-compatible-dialects.js';
export { OpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.js';
export { OpenAICompatibleLanguageModel } from './openai-compatible-language-model.js';
export {
  createOpenAICompatibleProvider,
  defaultAzureApiVersion,
  type OpenAICompatibleProviderSettings,
} from './openai-compatible-provider.js';
export { OpenAICompatibleRerankModel } from './openai-compatible-rerank-model.js';
