/**
 * @module spec/provider
 * A provider instance: one configured backend (the embedded llama.cpp, an Ollama server, a vLLM
 * server, IBM watsonx.ai …) that hands out models by id. The registry resolves
 * `"<provider>:<model>"` ids to these.
 */
import type { EmbeddingModelV1 } from './embedding-model.js';
import type { LanguageModelV1 } from './language-model.js';
import type { RerankModelV1 } from './rerank-model.js';

export type ModelTask =
  | 'generate'
  | 'chat'
  | 'summarize'
  | 'extract'
  | 'classify'
  | 'qa'
  | 'code'
  | 'embed'
  | 'rerank';

export interface ModelInfo {
  /** Full id, `provider:model`. */
  id: string;
  provider: string;
  modelId: string;
  /** What the model can be asked to do; `embed` means it is an embedding model. */
  kinds: ('language' | 'embedding' | 'rerank')[];
  tasks?: ModelTask[];
  contextLength?: number;
  /** Provider-specific facts (file size, quantisation, family). */
  details?: Record<string, unknown>;
}

export interface ProviderStatus {
  reachable: boolean;
  message?: string;
  latencyMs?: number;
}

export interface ProviderV1 {
  readonly specificationVersion: 'v1';
  /** The name models are addressed by: `<name>:<model>`. */
  readonly name: string;
  /** The adapter type: `llamacpp`, `ollama`, `openai-compatible`, `watsonx`. */
  readonly type: string;
  /** Throws `model_not_found` for a model this provider does not offer (when it can know). */
  languageModel(modelId: string): LanguageModelV1;
  embeddingModel(modelId: string): EmbeddingModelV1;
  /** Providers without reranking throw `not_implemented`. */
  rerankModel(modelId: string): RerankModelV1;
  listModels(options?: { abortSignal?: AbortSignal }): Promise<ModelInfo[]>;
  status(options?: { abortSignal?: AbortSignal }): Promise<ProviderStatus>;
  close(): Promise<void>;
}
