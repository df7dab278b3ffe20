/**
 * @module models/providers/ollama/ollama-language-model
 * `LanguageModelV1` over Ollama's native API: chat prompts to `/api/chat`, text prompts to
 * `/api/generate`, streamed as NDJSON. Ollama has no tokenizer endpoint, so `tokenize` throws
 * `not_implemented`.
 */
import { KeelError } from '../../../core/errors.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamResult,
  TokenizeResult,
} from '../../../spec/language-model.js';
import { NdjsonParser } from '../shared/ndjson-parser.js';
import { runStream } from '../shared/stream-runner.js';
import type { OllamaHost } from './ollama-host.js';
import {
  buildOllamaRequest,
  fromOllamaToolCalls,
  type OllamaToolCall,
  toFinishReason,
} from './ollama-request.js';
import { OllamaStreamDecoder } from './ollama-stream.js';

interface OllamaResponse {
  message?: { content?: string; tool_calls?: OllamaToolCall[] };
  response?: string;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
}

export class OllamaLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly capabilities = { tools: true, structuredOutput: 'native', tokenize: false } as const;

  constructor(
    readonly modelId: string,
    private readonly host: OllamaHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  contextLength(): Promise<number | undefined> {
    return this.host.contextLength(this.modelId);
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const request = buildOllamaRequest({
      modelId: this.modelId,
      options,
      providerName: this.host.name,
      stream: false,
    });
    const response = await this.host.client.postJson<OllamaResponse>(
      request.endpoint === 'chat' ? this.host.paths.chat : this.host.paths.generate,
      request.body,
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const toolCalls = fromOllamaToolCalls(response.message?.tool_calls);
    return {
      text: response.message?.content ?? response.response ?? '',
      ...(toolCalls.length ? { toolCalls } : {}),
      finishReason: toFinishReason(response.done_reason, toolCalls.length > 0),
      usage: { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 },
      warnings: request.warnings,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    };
  }

  async doStream(options: LanguageModelCallOptions): Promise<StreamResult> {
    const request = buildOllamaRequest({
      modelId: this.modelId,
      options,
      providerName: this.host.name,
      stream: true,
    });
    const body = await this.host.client.postStream(
      request.endpoint === 'chat' ? this.host.paths.chat : this.host.paths.generate,
      request.body,
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const context = this.host.client.context;
    return {
      stream: runStream({
        body,
        parser: new NdjsonParser(),
        decoder: new OllamaStreamDecoder(context, this.modelId, request.seed),
        signal: options.abortSignal,
        context,
      }),
      warnings: request.warnings,
    };
  }

  async tokenize(): Promise<TokenizeResult> {
    throw new KeelError(
      'not_implemented',
      `Ollama has no tokenizer endpoint, so ${this.host.name}:${this.modelId} cannot count tokens exactly.`,
      { data: { provider: this.host.name } },
    );
  }
}
