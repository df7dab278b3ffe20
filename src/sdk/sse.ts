/**
 * @module sdk/sse
 * Parses a Server-Sent Events body into events, in the browser and in Node (WHATWG streams).
 */
import type { JobJson } from '../api/jobs.js';
import { codeOf, KeelApiError } from './errors.js';
import type { SdkTransport } from './transport.js';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let boundary = nextBoundary(buffer);
      while (boundary) {
        const raw = buffer.slice(0, boundary.index);
        buffer = buffer.slice(boundary.index + boundary.length);
        const event = parseEvent(raw);
        if (event) yield event;
        boundary = nextBoundary(buffer);
      }
    }
    buffer += decoder.decode();
    const last = parseEvent(buffer);
    if (last) yield last;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

function nextBoundary(buffer: string): { index: number; length: number } | undefined {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
  return match ? { index: match.index, length: match[0].length } : undefined;
}

function parseEvent(raw: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  let id: string | undefined;
  for (const line of raw.split(/\r\n|\n|\r/)) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return undefined;
  return { event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) };
}

/** Parses a stream of named JSON events; an `error` event is thrown as a KeelApiError. */
export async function* readJsonEvents<T extends { type: string }>(
  response: Response,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  for await (const event of readSse(response.body!, signal)) {
    const data = JSON.parse(event.data) as T;
    if (data.type === 'error') {
      const error = (
        data as unknown as { error: { status: number; code: string; message: string; run_id?: string } }
      ).error;
      throw new KeelApiError(
        error.status,
        codeOf(error.code, error.status),
        error.message,
        [],
        error.run_id ? { run_id: error.run_id } : {},
      );
    }
    yield data;
  }
}

/** A job's states from a job event stream (`state` events; the last one is final), in order. */
export async function* jobStates(
  client: SdkTransport,
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<JobJson> {
  const response = await client.raw('GET', path, { signal, headers: { accept: 'text/event-stream' } });
  for await (const event of readSse(response.body!, signal)) {
    if (event.event === 'state') yield JSON.parse(event.data) as JobJson;
  }
}
