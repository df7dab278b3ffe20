/**
 * @module server/respond
 * Response helpers. Handlers registered with OpenAPI route configs must return typed responses;
 * these return plain `Response`s (JSON written once, streams not buffered) typed to fit any route.
 */
import { apiSecurityHeaders } from './middleware/security-headers.js';

// Built once: a plain object per kind of answer, security headers included (see
// middleware/security-headers), so no header is added to a finished Response.
const jsonHeaders = { ...apiSecurityHeaders, 'content-type': 'application/json; charset=utf-8' };

/** A JSON response. */
export function json(body: unknown, status = 200, headers?: Record<string, string>): never {
  return new Response(JSON.stringify(body), {
    status,
    headers: headers ? { ...jsonHeaders, ...headers } : jsonHeaders,
  }) as never;
}

export const sseHeaders = {
  ...apiSecurityHeaders,
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

const later = Symbol('later');
const nextTurn = () => new Promise<typeof later>((resolve) => setImmediate(resolve, later));

/**
 * The events that are ready in the same turn of the event loop (an upstream packet carries many),
 * joined into one string, at most 256 at a time: one write for the batch, not one per event.
 * Returning it returns `events`, which cancels the model call behind them.
 */
export async function* eventBatches(events: AsyncGenerator<string>): AsyncGenerator<string> {
  let pending: Promise<IteratorResult<string>> | undefined;
  try {
    for (;;) {
      const first = await (pending ?? events.next());
      pending = undefined;
      if (first.done) return;
      let text = first.value;
      let finished = false;
      const turn = nextTurn();
      for (let batched = 1; batched < 256; batched++) {
        const next = events.next();
        const ready = await Promise.race([next, turn]);
        if (ready === later) {
          pending = next;
          break;
        }
        if (ready.done) {
          finished = true;
          break;
        }
        text += ready.value;
      }
      yield text;
      if (finished) return;
    }
  } finally {
    await events.return(undefined);
  }
}

/**
 * A Server-Sent Events response fed by an async generator of already-formatted event strings.
 * Pulled lazily: nothing is produced faster than the client reads; events go out in batches
 * (`eventBatches`). When the client goes away the generator is returned, which cancels the model
 * call behind it.
 */
export function sse(events: AsyncGenerator<string>, headers?: Record<string, string>): never {
  const encoder = new TextEncoder();
  const batches = eventBatches(events);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: headers ? { ...sseHeaders, ...headers } : sseHeaders,
  }) as never;
}
