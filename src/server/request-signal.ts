/**
 * @module server/request-signal
 * An AbortSignal that fires when the client goes away. On a Node server it is built from the
 * socket's `close` event; asking for `c.req.raw.signal` instead would materialise a full WHATWG
 * Request (body stream, signal, headers) on every call, which costs more than the whole rest of
 * Keel's request path. In memory (`app.request()`), the Request already exists.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

export function requestSignal(c: Context): AbortSignal {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing || typeof outgoing.once !== 'function') return c.req.raw.signal;
  return closeSignal(outgoing);
}

/** Fires when `outgoing`'s connection closes before the response is finished. */
export function closeSignal(outgoing: ServerResponse): AbortSignal {
  const controller = new AbortController();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished)
      controller.abort(new DOMException('The client closed the connection.', 'AbortError'));
  });
  return controller.signal;
}
