/**
 * @module models/providers/openai-compatible/openai-compatible-dialects
 * What each server that speaks the OpenAI API adds to it, as data: which non-standard sampling
 * fields it takes on which endpoint, how it does JSON output, whether it reports the stop string
 * that matched, and where its tokenizer and reranker live. The request builder reads this table;
 * nothing else switches on the dialect.
 */

export type OpenAIDialect = 'openai' | 'vllm' | 'tgi' | 'lmstudio' | 'llamacpp-server' | 'azure';

/** The endpoint a call goes to: chat prompts to chat completions, text prompts to completions. */
export type Endpoint = 'chat' | 'completion';

type Field = { field: string; on: readonly Endpoint[] };

const both: readonly Endpoint[] = ['chat', 'completion'];

export interface DialectSpec {
  /** How warnings name the backend. */
  label: string;
  topK?: Field;
  repetitionPenalty?: Field;
  minNewTokens?: Field;
  presencePenalty?: Field;
  frequencyPenalty?: Field;
  /** A flag that keeps the matched stop string in the output (vLLM `include_stop_str_in_output`). */
  includeStopSequence?: Field;
  /** Keeps the last N prompt tokens (vLLM `truncate_prompt_tokens`). */
  truncateInputTokens?: Field;
  /** The choice carries the stop string that matched (vLLM `stop_reason`). */
  reportsStopString: boolean;
  /** How JSON output is asked for: OpenAI's `response_format`, or TGI's grammar `{type: 'json', value}`. */
  jsonOutput: { style: 'openai' | 'tgi'; on: readonly Endpoint[] };
  /** Where the exact tokenizer is, if the server has one. */
  tokenize?: 'vllm' | 'llamacpp-server' | 'tgi';
  /** Jina-style `/v1/rerank`. */
  rerank: boolean;
  /** Embedding requests take `truncate_prompt_tokens`. */
  embeddingTruncation: boolean;
  /** Largest embedding batch accepted. */
  maxEmbeddingsPerCall: number;
}

const openai: DialectSpec = {
  label: 'The OpenAI API',
  presencePenalty: { field: 'presence_penalty', on: both },
  frequencyPenalty: { field: 'frequency_penalty', on: both },
  reportsStopString: false,
  // The legacy completions endpoint has no response_format.
  jsonOutput: { style: 'openai', on: ['chat'] },
  rerank: false,
  embeddingTruncation: false,
  maxEmbeddingsPerCall: 2048,
};

export const dialects: Record<OpenAIDialect, DialectSpec> = {
  openai,
  azure: { ...openai, label: 'Azure OpenAI' },
  vllm: {
    label: 'vLLM',
    topK: { field: 'top_k', on: both },
    repetitionPenalty: { field: 'repetition_penalty', on: both },
    minNewTokens: { field: 'min_tokens', on: both },
    presencePenalty: { field: 'presence_penalty', on: both },
    frequencyPenalty: { field: 'frequency_penalty', on: both },
    includeStopSequence: { field: 'include_stop_str_in_output', on: both },
    truncateInputTokens: { field: 'truncate_prompt_tokens', on: both },
    reportsStopString: true,
    jsonOutput: { style: 'openai', on: both },
    tokenize: 'vllm',
    rerank: true,
    embeddingTruncation: true,
    maxEmbeddingsPerCall: 2048,
  },
  tgi: {
    label: 'Text Generation Inference',
    // TGI's chat request has no repetition_penalty or top_k; its completions request has no
    // presence_penalty (router/src/lib.rs ChatRequest / CompletionRequest).
    repetitionPenalty: { field: 'repetition_penalty', on: ['completion'] },
    presencePenalty: { field: 'presence_penalty', on: ['chat'] },
    frequencyPenalty: { field: 'frequency_penalty', on: both },
    reportsStopString: false,
    jsonOutput: { style: 'tgi', on: ['chat'] },
    tokenize: 'tgi',
    rerank: false,
    embeddingTruncation: false,
    // Text Embeddings Inference's default --max-client-batch-size.
    maxEmbeddingsPerCall: 32,
  },
  lmstudio: {
    label: 'LM Studio',
    topK: { field: 'top_k', on: both },
    repetitionPenalty: { field: 'repeat_penalty', on: both },
    presencePenalty: { field: 'presence_penalty', on: both },
    frequencyPenalty: { field: 'frequency_penalty', on: both },
    reportsStopString: false,
    jsonOutput: { style: 'openai', on: ['chat'] },
    rerank: false,
    embeddingTruncation: false,
    maxEmbeddingsPerCall: 2048,
  },
  'llamacpp-server': {
    label: 'llama.cpp server',
    topK: { field: 'top_k', on: both },
    repetitionPenalty: { field: 'repeat_penalty', on: both },
    presencePenalty: { field: 'presence_penalty', on: both },
    frequencyPenalty: { field: 'frequency_penalty', on: both },
    reportsStopString: false,
    jsonOutput: { style: 'openai', on: both },
    tokenize: 'llamacpp-server',
    rerank: true,
    embeddingTruncation: false,
    maxEmbeddingsPerCall: 2048,
  },
};

/** The field name for a setting on this endpoint, or undefined when the dialect lacks it there. */
export function fieldOn(field: Field | undefined, endpoint: Endpoint): string | undefined {
  return field?.on.includes(endpoint) ? field.field : undefined;
}

export interface DialectPaths {
  chat(modelId: string): string;
  completion(modelId: string): string;
  embeddings(modelId: string): string;
  models: string;
  tokenize?: string;
  rerank?: string;
}

/**
 * Request paths, relative to the origin. `baseURL` may name the API root with its version
 * (`http://host:8000/v1`, `https://api.groq.com/openai/v1`) or the server root (`http://host:8000`,
 * then `/v1` is added). Azure's are per deployment, with `api-version` on every call.
 */
export function dialectPaths(
  dialect: OpenAIDialect,
  basePath: string,
  azure: { apiVersion: string; deployment?: string | undefined } | undefined,
): DialectPaths {
  const base = basePath.replace(/\/+$/, '');
  if (dialect === 'azure' && azure) {
    const root = base.replace(/\/openai$/, '');
    const query = `?api-version=${encodeURIComponent(azure.apiVersion)}`;
    const deployment = (modelId: string) =>
      `${root}/openai/deployments/${encodeURIComponent(azure.deployment ?? modelId)}`;
    return {
      chat: (modelId) => `${deployment(modelId)}/chat/completions${query}`,
      completion: (modelId) => `${deployment(modelId)}/completions${query}`,
      embeddings: (modelId) => `${deployment(modelId)}/embeddings${query}`,
      models: `${root}/openai/models${query}`,
    };
  }
  const versioned = /\/v\d+$/.test(base);
  const api = versioned ? base : `${base}/v1`;
  const root = versioned ? base.replace(/\/v\d+$/, '') : base;
  const spec = dialects[dialect];
  return {
    chat: () => `${api}/chat/completions`,
    completion: () => `${api}/completions`,
    embeddings: () => `${api}/embeddings`,
    models: `${api}/models`,
    // vLLM, llama.cpp server and TGI serve /tokenize at the server root, not under /v1.
    ...(spec.tokenize ? { tokenize: `${root}/tokenize` } : {}),
    ...(spec.rerank ? { rerank: `${api}/rerank` } : {}),
  };
}
