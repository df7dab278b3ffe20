/**
 * @module models/providers/watsonx/watsonx-language-model
 * `LanguageModelV1` over IBM watsonx.ai: text prompts to `/ml/v1/text/generation(_stream)`, chat
 * prompts to `/ml/v1/text/chat(_stream)`, exact token counts from `/ml/v1/text/tokenization`.
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
import type { WatsonxHost } from './watsonx-host.js';
import { buildWatsonxRequest, toStopReason } from './watsonx-request.js';
import { WatsonxGenerationStreamDecoder } from './watsonx-stream.js';

interface GenerationResponse {
  results?: {
    generated_text?: string;
    generated_token_count?: number;
    input_token_count?: number;
    stop_reason?: string;
    seed?: number;
  }[];
}

interface ChatResponse {
  choices?: {
    message?: {
      content?: string | null;
      tool_calls?: { id?: string; function?: { name?: string; arguments?: unknown } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export class WatsonxLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly capabilities = { tools: true, structuredOutput: 'native', tokenize: true } as const;

  constructor(
    readonly modelId: string,
    private readonly host: WatsonxHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  contextLength(): Promise<number | undefined> {
    return this.host.contextLength(this.modelId);
  }

  #request(options: LanguageModelCallOptions) {
    return buildWatsonxRequest({
      modelId: this.modelId,
      options,
      scope: this.host.scope(),
      providerName: this.host.name,
    });
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const request = this.#request(options);
    const call = { signal: options.abortSignal, modelId: this.modelId };
    if (request.endpoint === 'generation') {
      const response = await this.host.client.postJson<GenerationResponse>(
        this.host.paths.generation,
        request.body,
        call,
      );
      const result = response.results?.[0];
      if (!result) throw this.#empty();
      const seed = result.seed ?? request.seed;
      return {
        text: result.generated_text ?? '',
        finishReason: toStopReason(result.stop_reason),
        usage: {
          inputTokens: result.input_token_count ?? 0,
          outputTokens: result.generated_token_count ?? 0,
        },
        warnings: request.warnings,
        ...(seed !== undefined ? { seed } : {}),
      };
    }
    const response = await this.host.client.postJson<ChatResponse>(this.host.paths.chat, request.body, call);
    const choice = response.choices?.[0];
    if (!choice) throw this.#empty();
    const toolCalls: ToolCall[] = (choice.message?.tool_calls ?? []).map((toolCall, index) => ({
      id: toolCall.id ?? `call_${index}`,
      name: toolCall.function?.name ?? '',
      arguments:
        typeof toolCall.function?.arguments === 'string'
          ? toolCall.function.arguments
          : JSON.stringify(toolCall.function?.arguments ?? {}),
    }));
    return {
      text: choice.message?.content ?? '',
      ...(toolCalls.length ? { toolCalls } : {}),
      finishReason:
        toolCalls.length && choice.finish_reason === 'stop'
          ? 'tool_calls'
          : toFinishReason(choice.finish_reason, null),
      usage: {
        inputTokens: response.usage?.prompt_tokens ?? 0,
        outputTokens: response.usage?.completion_tokens ?? 0,
      },
      warnings: request.warnings,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    };
  }

  async doStream(options: LanguageModelCallOptions): Promise<StreamResult> {
    const request = this.#request(options);
    const generation = request.endpoint === 'generation';
    const body = await this.host.client.postStream(
      generation ? this.host.paths.generationStream : this.host.paths.chatStream,
      request.body,
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const context = this.host.client.context;
    return {
      stream: runStream({
        body,
        parser: new SseParser(),
        decoder: generation
          ? new WatsonxGenerationStreamDecoder(context, this.modelId, request.seed)
          : new OpenAIStreamDecoder('chat', context, this.modelId, request.seed),
        signal: options.abortSignal,
        context,
      }),
      warnings: request.warnings,
    };
  }

  /**
   * watsonx counts tokens and returns their text, but not their ids: `tokens` holds -1 for each
   * token (the count is exact), and `strings` the token texts.
   */
  async tokenize(text: string, options: { abortSignal?: AbortSignal } = {}): Promise<TokenizeResult> {
    const response = await this.host.client.postJson<{
      result?: { token_count?: number; tokens?: string[] };
    }>(
      this.host.paths.tokenization,
      { model_id: this.modelId, input: text, ...this.host.scope(), parameters: { return_tokens: true } },
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const strings = response.result?.tokens;
    const count = response.result?.token_count ?? strings?.length ?? 0;
    return { tokens: new Array<number>(count).fill(-1), ...(strings ? { strings } : {}) };
  }

  #empty(): KeelError {
    return new KeelError('upstream_error', `Provider "${this.host.name}" answered without any results.`, {
      data: { provider: this.host.name },
    });
  }
}
