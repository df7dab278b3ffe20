/**
 * @module models/providers/shared/stream-runner
 * Drives a streamed generation for every remote provider: reads the upstream body, splits it into
 * events with a push parser (SSE, NDJSON) and turns them into Keel stream parts with a
 * provider-specific decoder, yielding the parts of each network chunk as it comes — no buffering,
 * and no promise per event: one chunk's events are parsed and decoded in one synchronous pass. It owns the
 * rules the port promises: the stream ends after exactly one `finish` or `error` part; breaking out
 * of the loop closes the upstream connection (so the server stops generating); an abort ends the
 * stream promptly with `cancelled` and the usage seen so far; a failure in the middle of the
 * answer (a dropped connection, an error event) becomes an `error` part.
 */
import { StringDecoder } from 'node:string_decoder';
import { KeelError } from '../../../core/errors.js';
import type { LanguageModelUsage, StreamPart, ToolCall } from '../../../spec/language-model.js';
import type { ResponseBody } from './http-client.js';
import { errorFromTransport, type UpstreamContext } from './upstream-errors.js';

export interface StreamDecoder<Event> {
  /**
   * Handles one upstream event, appending the parts it produces to `parts`. Returns true once the
   * upstream has said everything (OpenAI `[DONE]`, Ollama `done: true`, watsonx's last result).
   * Throws a KeelError for an error the upstream reports in the stream.
   */
  next(event: Event, parts: StreamPart[]): boolean;
  /**
   * Appends the closing parts (pending tool calls, then the finish). `complete` is false when the
   * body ended before the upstream said it was done; the decoder may accept that (it saw a finish
   * reason) or throw.
   */
  finish(parts: StreamPart[], complete: boolean): void;
  /** Tokens counted so far, for a cancelled stream. */
  usage(): LanguageModelUsage;
}

/** Splits decoded text into events; text may end anywhere (the rest waits for the next push). */
export interface PushParser<Event> {
  /** Feeds decoded text; returns the events it completed. May throw a SyntaxError. */
  push(text: string): Event[];
  /** The body ended: returns a last event that had no terminator. */
  end(): Event[];
}

export interface RunStreamOptions<Event> {
  body: ResponseBody;
  parser: PushParser<Event>;
  decoder: StreamDecoder<Event>;
  signal?: AbortSignal | undefined;
  context: UpstreamContext;
}

export async function* runStream<Event>(options: RunStreamOptions<Event>): AsyncGenerator<StreamPart> {
  const { body, parser, decoder, signal, context } = options;
  const parts: StreamPart[] = [];
  // A character split across network chunks is held back until it is whole.
  const text = new StringDecoder('utf8');
  let complete = false;
  let settled = false;
  try {
    // `destroyOnReturn: false`: after the last event the rest of the body (the chunked-encoding
    // terminator) is drained below instead, so the keep-alive connection can serve the next call.
    read: for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<
      Buffer | string
    >) {
      const decoded = typeof chunk === 'string' ? chunk : text.write(chunk);
      if (!decoded) continue;
      for (const event of parser.push(decoded)) {
        if (decoder.next(event, parts)) {
          complete = true;
          break read;
        }
      }
      if (parts.length > 0) {
        for (const part of parts) yield part;
        parts.length = 0;
      }
    }
    if (!complete) {
      const rest = text.end();
      const last = rest ? [...parser.push(rest), ...parser.end()] : parser.end();
      for (const event of last) {
        if (decoder.next(event, parts)) {
          complete = true;
          break;
        }
      }
    }
    decoder.finish(parts, complete);
    settled = true;
    for (const part of parts) yield part;
  } catch (error) {
    if (settled) throw error;
    settled = true;
    if (signal?.aborted) {
      yield { type: 'finish', finishReason: 'cancelled', usage: decoder.usage() };
      return;
    }
    yield {
      type: 'error',
      error:
        error instanceof KeelError
          ? error
          : error instanceof SyntaxError
            ? new KeelError(
                'upstream_error',
                `Provider "${context.provider}" sent a stream Keel could not read: ${error.message}`,
                { cause: error, data: { provider: context.provider } },
              )
            : errorFromTransport(error, context, signal, 'stream'),
    };
  } finally {
    if (!body.readableEnded && !body.destroyed) {
      // Destroying an undici body emits an abort error; nobody else is listening any more.
      body.on('error', ignore);
      if (complete) {
        // What follows the last event is only the end of the response (the chunked terminator):
        // read it, so the keep-alive connection is free for the next call — but never wait long
        // for a server that keeps the response open.
        await body
          .dump({ limit: 65_536, signal: AbortSignal.timeout(drainTimeoutMs) })
          .catch(() => body.destroy());
      } else {
        body.destroy();
      }
    }
  }
}

const drainTimeoutMs = 1000;

function ignore(): void {}

/** Collects a stream into the pieces of a GenerateResult; an `error` part is thrown. */
export async function collectStream(stream: AsyncIterable<StreamPart>): Promise<{
  text: string;
  toolCalls: ToolCall[];
  finish: Extract<StreamPart, { type: 'finish' }>;
}> {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for await (const part of stream) {
    if (part.type === 'text-delta') text += part.text;
    else if (part.type === 'tool-call') toolCalls.push(part.toolCall);
    else if (part.type === 'error') throw part.error;
    else return { text, toolCalls, finish: part };
  }
  throw new KeelError('internal', 'The stream ended without a finish.');
}
