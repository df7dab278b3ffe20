/**
 * @module models/providers/watsonx/watsonx-stream
 * Decodes watsonx.ai's `generation_stream` SSE (`id:`, `event: message`, `data: {"results": […]}`)
 * into Keel stream parts. Each result carries the next piece of text and running token counts;
 * the one whose `stop_reason` is no longer `not_finished` ends the answer. `event: error` becomes
 * an `error` part.
 */
import { KeelError } from '../../../core/errors.js';
import type { FinishReason, LanguageModelUsage, StreamPart } from '../../../spec/language-model.js';
import type { SseEvent } from '../shared/sse-parser.js';
import type { StreamDecoder } from '../shared/stream-runner.js';
import { errorInStream, type UpstreamContext } from '../shared/upstream-errors.js';
import { toStopReason } from './watsonx-request.js';

interface GenerationChunk {
  results?: {
    generated_text?: string;
    generated_token_count?: number;
    input_token_count?: number;
    stop_reason?: string;
    seed?: number;
  }[];
  errors?: unknown;
}

export class WatsonxGenerationStreamDecoder implements StreamDecoder<SseEvent> {
  #inputTokens = 0;
  #outputTokens = 0;
  #deltas = 0;
  #finishReason: FinishReason | undefined;
  #seed: number | undefined;

  constructor(
    private readonly context: UpstreamContext,
    private readonly modelId: string,
    seed: number | undefined,
  ) {
    this.#seed = seed;
  }

  next(event: SseEvent, parts: StreamPart[]): boolean {
    if (event.event === 'error') throw errorInStream(event.data, this.context, { modelId: this.modelId });
    // `close` and other non-message events carry nothing to show.
    if (event.event !== 'message' || event.data === '[DONE]') return false;
    const chunk = JSON.parse(event.data) as GenerationChunk;
    if (chunk.errors !== undefined) throw errorInStream(event.data, this.context, { modelId: this.modelId });
    let done = false;
    for (const result of chunk.results ?? []) {
      if (result.generated_text) {
        this.#deltas++;
        parts.push({ type: 'text-delta', text: result.generated_text });
      }
      // Counts are running totals; keep the largest seen.
      if (typeof result.generated_token_count === 'number')
        this.#outputTokens = Math.max(this.#outputTokens, result.generated_token_count);
      if (typeof result.input_token_count === 'number')
        this.#inputTokens = Math.max(this.#inputTokens, result.input_token_count);
      if (typeof result.seed === 'number') this.#seed = result.seed;
      if (result.stop_reason && result.stop_reason.toLowerCase() !== 'not_finished') {
        this.#finishReason = toStopReason(result.stop_reason);
        done = true;
      }
    }
    return done;
  }

  finish(parts: StreamPart[], complete: boolean): void {
    if (!complete || this.#finishReason === undefined) {
      throw new KeelError(
        'upstream_error',
        `Provider "${this.context.provider}" ended the stream before the answer was complete.`,
        { data: { provider: this.context.provider } },
      );
    }
    parts.push({
      type: 'finish',
      finishReason: this.#finishReason,
      usage: this.usage(),
      ...(this.#seed !== undefined ? { seed: this.#seed } : {}),
    });
  }

  usage(): LanguageModelUsage {
    return { inputTokens: this.#inputTokens, outputTokens: this.#outputTokens || this.#deltas };
  }
}
