/**
 * @module spec/embedding-model
 * The embedding-model port, version 1.
 */
import type { CallContext } from './language-model.js';
import type { CallWarning } from './warnings.js';

export interface EmbedOptions {
  values: string[];
  /** Keep only the first N tokens of each input (watsonx `truncate_input_tokens`). */
  truncateInputTokens?: number;
  abortSignal?: AbortSignal;
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Who the call is for (metering, tracing); ignored by adapters. */
  context?: CallContext;
  /** Per-call settings for middleware, keyed by middleware name. */
  middlewareOptions?: Record<string, unknown>;
}

export interface EmbedResult {
  /** One vector per input value, in order. */
  embeddings: Float32Array[];
  usage: { inputTokens: number };
  warnings: CallWarning[];
}

export interface EmbeddingModelV1 {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly modelId: string;
  /**
   * Largest batch one provider call accepts. Models handed out by the registry split bigger
   * batches themselves; a raw adapter's callers must.
   */
  readonly maxEmbeddingsPerCall: number;
  /** Vector length, when known without a call. */
  dimensions(): Promise<number | undefined>;
  doEmbed(options: EmbedOptions): Promise<EmbedResult>;
}
