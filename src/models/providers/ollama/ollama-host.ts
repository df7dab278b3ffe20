/**
 * @module models/providers/ollama/ollama-host
 * What the models of one Ollama provider share: its name, HTTP client, request paths and the
 * model facts learnt from `/api/show`.
 */
import type { HttpClient } from '../shared/http-client.js';

export interface OllamaPaths {
  chat: string;
  generate: string;
  embed: string;
  tags: string;
  show: string;
  version: string;
}

export interface OllamaHost {
  readonly name: string;
  readonly client: HttpClient;
  readonly paths: OllamaPaths;
  contextLength(modelId: string): Promise<number | undefined>;
}
