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

const sseHeaders = {
  ...apiSecurityHeaders,
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

const later = Symbol('later');
const nextTurn = () => new Promise<typeof later>((resolve) => setImmediate(resolve, later));

/**
 * A Server-Sent Events response fed by an async generator of already-formatted event strings.
 * Pulled lazily: nothing is produced faster than the client reads. Events that are ready in the
 * same turn of the event loop (an upstream packet carries many) go out in one write. When the
 * client goes away the generator is returned, which cancels the model call behind it.
 */
export function sse(events: AsyncGenerator<string>, headers?: Record<string, string>): never {
  const encoder = new TextEncoder();
  let pending: Promise<IteratorResult<string>> | undefined;
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const first = await (pending ?? events.next());
        pending = undefined;
        if (first.done) {
          controller.close();
          return;
        }
        let text = first.value;
        // One turn of the event loop for the whole batch, not one per event.
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
        controller.enqueue(encoder.encode(text));
        if (finished) controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: headers ? { ...sseHeaders, ...headers } : sseHeaders,
  }) as never;
}
