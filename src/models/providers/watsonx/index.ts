/**
 * @module models/providers/watsonx
 * IBM watsonx.ai as `<name>:<model id>`: text generation, chat, embeddings, reranking and exact
 * tokenization, with IBM Cloud IAM tokens. See docs/decisions/0003-remote-providers.md.
 */
export { IamTokenSource, type IamTokenSourceOptions } from './iam-token-source.js';
export { WatsonxEmbeddingModel } from './watsonx-embedding-model.js';
export { WatsonxLanguageModel } from './watsonx-language-model.js';
export { createWatsonxProvider, type WatsonxProviderSettings } from './watsonx-provider.js';
export { WatsonxRerankModel } from './watsonx-rerank-model.js';
