/**
 * @module models/middleware/model-middleware
 * What cross-cutting work around a model call looks like: a middleware wraps a language model's
 * `doGenerate`, `doStream` and `tokenize`, and an embedding model's `doEmbed`, the way the Vercel
 * AI SDK's `wrapLanguageModel` does. Each hook receives the call's options and `next` functions
 * that run the rest of the chain (optionally with changed options). The provider registry applies
 * one list of middleware to every model it hands out.
 */
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../spec/embedding-model.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamResult,
  TokenizeResult,
} from '../../spec/language-model.js';

export interface GenerateCall {
  options: LanguageModelCallOptions;
  model: LanguageModelV1;
  /** Runs the rest of the chain; `options` replaces the call's options. */
  doGenerate(options?: LanguageModelCallOptions): Promise<GenerateResult>;
  /** Runs the rest of the chain's streaming path (a time limit collects a stream). */
  doStream(options?: LanguageModelCallOptions): Promise<StreamResult>;
}

export interface StreamCall {
  options: LanguageModelCallOptions;
  model: LanguageModelV1;
  doStream(options?: LanguageModelCallOptions): Promise<StreamResult>;
}

export interface TokenizeCall {
  text: string;
  options: { abortSignal?: AbortSignal };
  model: LanguageModelV1;
  doTokenize(text?: string): Promise<TokenizeResult>;
}

export interface EmbedCall {
  options: EmbedOptions;
  model: EmbeddingModelV1;
  doEmbed(options?: EmbedOptions): Promise<EmbedResult>;
}

/** Middleware for language models. Every hook is optional; a missing one passes the call on. */
export interface LanguageModelMiddleware {
  /** Names the middleware in docs, traces and `registry.use(…, { before })`. */
  readonly name: string;
  wrapGenerate?(call: GenerateCall): Promise<GenerateResult>;
  wrapStream?(call: StreamCall): Promise<StreamResult>;
  wrapTokenize?(call: TokenizeCall): Promise<TokenizeResult>;
}

/** Middleware for embedding models. */
export interface EmbeddingModelMiddleware {
  readonly name: string;
  wrapEmbed?(call: EmbedCall): Promise<EmbedResult>;
}

/** One middleware may wrap both kinds (metering, metrics, tracing do). */
export type ModelMiddleware = LanguageModelMiddleware & EmbeddingModelMiddleware;
