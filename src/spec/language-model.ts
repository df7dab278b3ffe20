/**
 * @module spec/language-model
 * The language-model port, version 1. A provider adapter implements `doGenerate` and `doStream`
 * for one model; everything above it (HTTP routes, Prompt Lab, RAG answers) works only through
 * this interface. Generation parameters are watsonx's, in camelCase; adapters map them onto their
 * backend and return a `CallWarning` for each one they cannot honour.
 */
import type { KeelError } from '../core/errors.js';
import type { JSONSchema } from './json-schema.js';
import type { CallWarning } from './warnings.js';

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JSONSchema;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; name?: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; content: string; toolCallId: string };

export type LanguageModelPrompt = { type: 'text'; text: string } | { type: 'chat'; messages: ChatMessage[] };

/** watsonx.ai generation parameters. Absent means "the provider's default". */
export interface GenerationParameters {
  decodingMethod?: 'greedy' | 'sample';
  temperature?: number;
  topK?: number;
  topP?: number;
  maxNewTokens?: number;
  minNewTokens?: number;
  stopSequences?: string[];
  /** Keep the matched stop sequence at the end of the output (watsonx default: false). */
  includeStopSequence?: boolean;
  repetitionPenalty?: number;
  randomSeed?: number;
  /** Stop generating after this many milliseconds and return what was produced. */
  timeLimitMs?: number;
  /** Keep only the last N tokens of the input. */
  truncateInputTokens?: number;
  /** OpenAI-style penalties, for providers that have them. */
  presencePenalty?: number;
  frequencyPenalty?: number;
}

export type ResponseFormat = { type: 'text' } | { type: 'json'; schema?: JSONSchema; name?: string };

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/**
 * Who a model call is made for. Middleware reads it (metering, guardrail records, tracing, a
 * deployment's budgets); adapters ignore it. Internal calls that nobody pays for omit it.
 */
export interface CallContext {
  projectId: string;
  keyId: string | null;
  /** The API route or internal caller: `/v1/chat/completions`, `rag.ingest`. */
  endpoint: string;
  requestId?: string;
}

export interface LanguageModelCallOptions {
  prompt: LanguageModelPrompt;
  parameters?: GenerationParameters;
  responseFormat?: ResponseFormat;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Aborts the generation (client gone, time limit). Adapters must stop work promptly. */
  abortSignal?: AbortSignal;
  /** Vendor-specific settings, keyed by provider type: `{ ollama: { num_ctx: 8192 } }`. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Who the call is for; read by middleware, ignored by adapters. */
  context?: CallContext;
  /** Per-call settings for middleware, keyed by middleware name: `{ guardrails: { policy, … } }`. */
  middlewareOptions?: Record<string, unknown>;
}

/**
 * Why generation ended, in watsonx's vocabulary (`stop_reason`):
 * eos_token — the model ended; stop_sequence — a stop sequence matched; max_tokens — the
 * max_new_tokens limit; token_limit — the context window; time_limit; cancelled; tool_calls;
 * content_filter — a guardrail replaced the output; error.
 */
export type FinishReason =
  | 'eos_token'
  | 'stop_sequence'
  | 'max_tokens'
  | 'token_limit'
  | 'time_limit'
  | 'cancelled'
  | 'tool_calls'
  | 'content_filter'
  | 'error';

export interface LanguageModelUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  text: string;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  usage: LanguageModelUsage;
  warnings: CallWarning[];
  /** The seed actually used, when sampling. */
  seed?: number;
  providerMetadata?: Record<string, unknown>;
  /** What middleware reports about the call, keyed by middleware name (`guardrails`: its decisions). */
  middlewareMetadata?: Record<string, unknown>;
}

export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; finishReason: FinishReason; usage: LanguageModelUsage; seed?: number }
  | { type: 'error'; error: KeelError };

export interface StreamResult {
  /** Ends after one `finish` or `error` part. Breaking out of the loop cancels the generation. */
  stream: AsyncIterable<StreamPart>;
  warnings: CallWarning[];
  /** As on GenerateResult; values may fill in as the stream runs. */
  middlewareMetadata?: Record<string, unknown>;
}

export interface LanguageModelCapabilities {
  /** Tool (function) calling passed through to the model. */
  tools: boolean;
  /** How JSON-schema output is obtained: decoded under a grammar, asked of the API, or neither. */
  structuredOutput: 'grammar' | 'native' | 'none';
  /** The provider can count tokens exactly (tokenize). */
  tokenize: boolean;
}

export interface TokenizeResult {
  tokens: number[];
  /** The text of each token, when available. */
  strings?: string[];
}

export interface LanguageModelV1 {
  readonly specificationVersion: 'v1';
  /** The provider instance's name (the part before `:` in the model id). */
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: LanguageModelCapabilities;
  /** Context window in tokens, when known. */
  contextLength(): Promise<number | undefined>;
  doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult>;
  doStream(options: LanguageModelCallOptions): Promise<StreamResult>;
  /** Exact tokenization; adapters without it throw `not_implemented`. */
  tokenize(text: string, options?: { abortSignal?: AbortSignal }): Promise<TokenizeResult>;
}
