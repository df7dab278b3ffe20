/**
 * @module models/providers/shared/openai-chat-stream
 * Decodes OpenAI-style SSE chunks (`data: {...}` … `data: [DONE]`, and watsonx's `chat_stream`,
 * which has the same chunks) into Keel stream parts: text deltas as they arrive, tool calls
 * assembled from their fragments and emitted before the finish, and the finish once the usage
 * chunk (`stream_options.include_usage`) or `[DONE]` has come.
 */
import { KeelError } from '../../../core/errors.js';
import type { LanguageModelUsage, StreamPart, ToolCall } from '../../../spec/language-model.js';
import { toFinishReason } from './openai-chat-format.js';
import type { SseEvent } from './sse-parser.js';
import type { StreamDecoder } from './stream-runner.js';
import { errorInStream, type UpstreamContext } from './upstream-errors.js';

interface ChunkChoice {
  delta?: {
    content?: string | null;
    tool_calls?: {
      index?: number;
      id?: string;
      function?: { name?: string; arguments?: string | Record<string, unknown> };
    }[];
  };
  text?: string;
  finish_reason?: string | null;
  stop_reason?: string | number | null;
}

interface Chunk {
  choices?: ChunkChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
  object?: string;
}

export class OpenAIStreamDecoder implements StreamDecoder<SseEvent> {
  #finishReason: string | undefined;
  #stopReason: unknown;
  #inputTokens: number | undefined;
  #outputTokens: number | undefined;
  #deltas = 0;
  readonly #toolCalls = new Map<number, { id: string; name: string; arguments: string }>();

  constructor(
    private readonly endpoint: 'chat' | 'completion',
    private readonly context: UpstreamContext,
    private readonly modelId: string,
    private readonly seed: number | undefined,
  ) {}

  next(event: SseEvent, parts: StreamPart[]): boolean {
    const data = event.data;
    if (event.event === 'error') throw errorInStream(data, this.context, { modelId: this.modelId });
    // OpenAI names no events; watsonx's chat_stream calls its chunks `message`. Others (a `close`,
    // a keep-alive) carry no answer.
    if (event.event !== 'message') return false;
    if (data === '[DONE]') return true;
    const chunk = JSON.parse(data) as Chunk;
    if (chunk.error !== undefined || chunk.object === 'error') {
      throw errorInStream(data, this.context, { modelId: this.modelId });
    }
    if (chunk.usage) {
      if (typeof chunk.usage.prompt_tokens === 'number') this.#inputTokens = chunk.usage.prompt_tokens;
      if (typeof chunk.usage.completion_tokens === 'number')
        this.#outputTokens = chunk.usage.completion_tokens;
    }
    const choice = chunk.choices?.[0];
    if (!choice) return false;
    const text = this.endpoint === 'chat' ? choice.delta?.content : choice.text;
    if (text) {
      this.#deltas++;
      parts.push({ type: 'text-delta', text });
    }
    const calls = choice.delta?.tool_calls;
    if (calls) {
      for (const call of calls) {
        const index = call.index ?? this.#toolCalls.size;
        let entry = this.#toolCalls.get(index);
        if (!entry) {
          entry = { id: call.id ?? `call_${index}`, name: '', arguments: '' };
          this.#toolCalls.set(index, entry);
        }
        if (call.id) entry.id = call.id;
        // The name comes whole in the first fragment; some servers repeat it in later ones.
        if (call.function?.name && !entry.name) entry.name = call.function.name;
        const args = call.function?.arguments;
        if (typeof args === 'string') entry.arguments += args;
        else if (args !== undefined) entry.arguments += JSON.stringify(args);
      }
    }
    if (choice.finish_reason) {
      this.#finishReason = choice.finish_reason;
      this.#stopReason = choice.stop_reason;
    }
    return false;
  }

  finish(parts: StreamPart[], complete: boolean): void {
    if (!complete && this.#finishReason === undefined) {
      throw new KeelError(
        'upstream_error',
        `Provider "${this.context.provider}" ended the stream before the answer was complete.`,
        { data: { provider: this.context.provider } },
      );
    }
    const toolCalls: ToolCall[] = [...this.#toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ id: call.id, name: call.name, arguments: call.arguments || '{}' }));
    for (const toolCall of toolCalls) parts.push({ type: 'tool-call', toolCall });
    const finishReason =
      toolCalls.length > 0 && this.#finishReason === 'stop'
        ? 'tool_calls'
        : toFinishReason(this.#finishReason, this.#stopReason);
    parts.push({
      type: 'finish',
      finishReason,
      usage: this.usage(),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    });
  }

  usage(): LanguageModelUsage {
    // Servers that ignore stream_options send no usage: each delta carries at least one token.
    return { inputTokens: this.#inputTokens ?? 0, outputTokens: this.#outputTokens ?? this.#deltas };
  }
}
