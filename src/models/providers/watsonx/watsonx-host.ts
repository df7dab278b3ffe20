/**
 * @module models/providers/watsonx/watsonx-host
 * What the models of one watsonx.ai provider share: name, HTTP client (with the IAM token
 * source), request paths (each with `?version=`), the project or space calls run in, and the
 * context windows the foundation model specs report.
 */
import type { HttpClient } from '../shared/http-client.js';

export interface WatsonxPaths {
  generation: string;
  generationStream: string;
  chat: string;
  chatStream: string;
  tokenization: string;
  embeddings: string;
  rerank: string;
  specs: string;
}

export interface WatsonxHost {
  readonly name: string;
  readonly client: HttpClient;
  readonly paths: WatsonxPaths;
  /** The `project_id` / `space_id` field; throws `invalid_config` when neither is configured. */
  scope(): Record<string, string>;
  contextLength(modelId: string): Promise<number | undefined>;
}
