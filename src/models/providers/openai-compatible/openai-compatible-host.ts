/**
 * @module models/providers/openai-compatible/openai-compatible-host
 * What the models of one OpenAI-compatible provider share: its name, dialect, request paths, HTTP
 * client and what it learnt about context windows from `/v1/models`.
 */
import type { HttpClient } from '../shared/http-client.js';
import type { DialectPaths, DialectSpec, OpenAIDialect } from './openai-compatible-dialects.js';

export interface OpenAICompatibleHost {
  readonly name: string;
  readonly dialect: OpenAIDialect;
  readonly spec: DialectSpec;
  readonly paths: DialectPaths;
  readonly client: HttpClient;
  /** The model's context window as the server reports it, when it does (vLLM, llama.cpp server). */
  contextLength(modelId: string): Promise<number | undefined>;
}
