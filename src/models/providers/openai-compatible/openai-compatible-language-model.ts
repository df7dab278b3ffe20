/**
 * @module models/providers/openai-compatible/openai-compatible-language-model
 * `LanguageModelV1` over an OpenAI-compatible server: chat prompts to `/chat/completions`, text
 * prompts to `/completions`, both streamed as SSE. `doStream` sends the request before it returns,
 * so a refused connection or an HTTP error throws (and HTTP can answer with a status); what goes
 * wrong later arrives as an `error` part.
 */
import { KeelError } from '../../../core/errors.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamResult,
  TokenizeResult,
  ToolCall,
} from '../../../spec/language-model.js';
import { toFinishReason } from '../shared/openai-chat-format.js';
import { OpenAIStreamDecoder } from '../shared/openai-chat-stream.js';
import { SseParser } from '../shared/sse-parser.js';
import { runStream } from '../shared/stream-runner.js';
import type { OpenAICompatibleHost } from './openai-compatible-host.js';
import { buildOpenAIRequest } from './openai-compatible-request.js';

interface CompletionResponse {
  choices?: {
    message?: {
      content?: string | null;
      tool_calls?: { id?: string; function?: { name?: string; arguments?: unknown } }[];
    };
    text?: string;
    finish_reason?: string | null;
    stop_reason?: string | number | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export class OpenAICompatibleLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly capabilities;

  constructor(
    readonly modelId: string,
    private readonly host: OpenAICompatibleHost,
  ) {
    this.capabilities = {
      tools: true,
      structuredOutput: 'native',
      tokenize: host.spec.tokenize !== undefined,
    } as const;
  }

  get provider(): string {
    return this.host.name;
  }

  contextLength(): Promise<number | undefined> {
    return this.host.contextLength(this.modelId);
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const request = buildOpenAIRequest({
      modelId: this.modelId,
      options,
      spec: this.host.spec,
      providerName: this.host.name,
      stream: false,
    });
    const path =
      request.endpoint === 'chat'
        ? this.host.paths.chat(this.modelId)
        : this.host.paths.completion(this.modelId);
    const response = await this.host.client.postJson<CompletionResponse>(path, request.body, {
      signal: options.abortSignal,
      modelId: this.modelId,
    });
    const choice = response.choices?.[0];
    if (!choice) {
      throw new KeelError('upstream_error', `Provider "${this.host.name}" answered without any choices.`, {
        data: { provider: this.host.name },
      });
    }
    const toolCalls: ToolCall[] = (choice.message?.tool_calls ?? []).map((call, index) => ({
      id: call.id ?? `call_${index}`,
      name: call.function?.name ?? '',
      arguments:
        typeof call.function?.arguments === 'string'
          ? call.function.arguments
          : JSON.stringify(call.function?.arguments ?? {}),
    }));
    const text = (request.endpoint === 'chat' ? choice.message?.content : choice.text) ?? '';
    return {
      text,
      ...(toolCalls.length ? { toolCalls } : {}),
      finishReason:
        toolCalls.length && choice.finish_reason === 'stop'
          ? 'tool_calls'
          : toFinishReason(choice.finish_reason, choice.stop_reason),
      usage: {
        inputTokens: response.usage?.prompt_tokens ?? 0,
        outputTokens: response.usage?.completion_tokens ?? 0,
      },
      warnings: request.warnings,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    };
  }

  async doStream(options: LanguageModelCallOptions): Promise<StreamResult> {
    const request = buildOpenAIRequest({
      modelId: this.modelId,
      options,
      spec: this.host.spec,
      providerName: this.host.name,
      stream: true,
    });
    const path =
      request.endpoint === 'chat'
        ? this.host.paths.chat(this.modelId)
        : this.host.paths.completion(this.modelId);
    const body = await this.host.client.postStream(path, request.body, {
      signal: options.abortSignal,
      modelId: this.modelId,
    });
    const context = this.host.client.context;
    return {
      stream: runStream({
        body,
        parser: new SseParser(),
        decoder: new OpenAIStreamDecoder(request.endpoint, context, this.modelId, request.seed),
        signal: options.abortSignal,
        context,
      }),
      warnings: request.warnings,
    };
  }

  async tokenize(text: string, options: { abortSignal?: AbortSignal } = {}): Promise<TokenizeResult> {
    const kind = this.host.spec.tokenize;
    const path = this.host.paths.tokenize;
    if (!kind || !path) {
      throw new KeelError(
        'not_implemented',
        `${this.host.spec.label} has no tokenizer endpoint, so ${this.host.name}:${this.modelId} cannot count tokens exactly.`,
        { data: { provider: this.host.name, dialect: this.host.dialect } },
      );
    }
    const call = { signal: options.abortSignal, modelId: this.modelId };
    const client = this.host.client;
    if (kind === 'vllm') {
      const result = await client.postJson<{ tokens?: number[]; token_strs?: string[] }>(
        path,
        { model: this.modelId, prompt: text, add_special_tokens: true, return_token_strs: true },
        call,
      );
      return {
        tokens: result.tokens ?? [],
        ...(Array.isArray(result.token_strs) ? { strings: result.token_strs } : {}),
      };
    }
    if (kind === 'llamacpp-server') {
      const result = await client.postJson<{
        tokens?: (number | { id: number; piece: string | number[] })[];
      }>(path, { content: text, add_special: true, with_pieces: true }, call);
      const entries = result.tokens ?? [];
      const decoder = new TextDecoder();
      return {
        tokens: entries.map((entry) => (typeof entry === 'number' ? entry : entry.id)),
        ...(entries.every((entry) => typeof entry === 'object')
          ? {
              strings: entries.map((entry) => {
                const piece = (entry as { piece: string | number[] }).piece;
                // Pieces that are not valid UTF-8 on their own come as byte arrays.
                return typeof piece === 'string' ? piece : decoder.decode(Uint8Array.from(piece));
              }),
            }
          : {}),
      };
    }
    const result = await client.postJson<{ id: number; text: string }[]>(path, { inputs: text }, call);
    return { tokens: result.map((token) => token.id), strings: result.map((token) => token.text) };
  }
}
