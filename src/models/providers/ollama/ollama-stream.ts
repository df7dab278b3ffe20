/**
 * @module models/providers/ollama/ollama-stream
 * Decodes Ollama's NDJSON stream — one JSON object per line, the last with `done: true` and the
 * token counts — into Keel stream parts. An `{"error": "…"}` line becomes an `error` part.
 */
import { KeelError } from '../../../core/errors.js';
import type { LanguageModelUsage, StreamPart } from '../../../spec/language-model.js';
import type { StreamDecoder } from '../shared/stream-runner.js';
import { errorInStream, type UpstreamContext } from '../shared/upstream-errors.js';
import { fromOllamaToolCalls, type OllamaToolCall, toFinishReason } from './ollama-request.js';

interface OllamaChunk {
  message?: { content?: string; tool_calls?: OllamaToolCall[] };
  response?: string;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

export class OllamaStreamDecoder implements StreamDecoder<unknown> {
  #inputTokens = 0;
  #outputTokens: number | undefined;
  #deltas = 0;
  #toolCalls = 0;
  #doneReason: string | undefined;

  constructor(
    private readonly context: UpstreamContext,
    private readonly modelId: string,
    private readonly seed: number | undefined,
  ) {}

  next(value: unknown, parts: StreamPart[]): boolean {
    const chunk = value as OllamaChunk;
    if (chunk.error !== undefined)
      throw errorInStream(JSON.stringify(chunk), this.context, { modelId: this.modelId });
    const text = chunk.message?.content ?? chunk.response;
    if (text) {
      this.#deltas++;
      parts.push({ type: 'text-delta', text });
    }
    const calls = chunk.message?.tool_calls;
    if (calls?.length) {
      for (const toolCall of fromOllamaToolCalls(calls, this.#toolCalls))
        parts.push({ type: 'tool-call', toolCall });
      this.#toolCalls += calls.length;
    }
    if (!chunk.done) return false;
    this.#doneReason = chunk.done_reason;
    // Ollama leaves prompt_eval_count out when the whole prompt came from its cache.
    if (typeof chunk.prompt_eval_count === 'number') this.#inputTokens = chunk.prompt_eval_count;
    if (typeof chunk.eval_count === 'number') this.#outputTokens = chunk.eval_count;
    return true;
  }

  finish(parts: StreamPart[], complete: boolean): void {
    if (!complete) {
      throw new KeelError(
        'upstream_error',
        `Provider "${this.context.provider}" ended the stream before the answer was complete.`,
        { data: { provider: this.context.provider } },
      );
    }
    parts.push({
      type: 'finish',
      finishReason: toFinishReason(this.#doneReason, this.#toolCalls > 0),
      usage: this.usage(),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    });
  }

  usage(): LanguageModelUsage {
    return { inputTokens: this.#inputTokens, outputTokens: this.#outputTokens ?? this.#deltas };
  }
}
