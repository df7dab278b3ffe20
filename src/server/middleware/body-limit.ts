/**
 * @module server/middleware/body-limit
 * Refuses bodies over the limit with 413. A declared `Content-Length` is checked from the header
 * alone; only chunked bodies are counted as they arrive (Hono's body-limit middleware). Hono's
 * middleware on its own touches `request.body` on every request, which turns the Node server's
 * lazy request into a full WHATWG Request — the most expensive step of a gateway call.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function limitBody(maxSize: number, onError: () => never): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'DELETE') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > maxSize) onError();
      return next();
    }
    return counting(c, next);
  };
}
