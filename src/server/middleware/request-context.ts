/**
 * @module server/middleware/request-context
 * Request id, error format for the route family, and the HTTP metrics.
 */
import type { MiddlewareHandler } from 'hono';
import { randomToken } from '../../core/ids.js';
import type { KeelMetrics } from '../../core/metrics.js';
import type { ErrorFormat, KeelEnv } from '../context.js';

export function requestContext(metrics: KeelMetrics): MiddlewareHandler<KeelEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : `req_${randomToken(16)}`;
    c.set('requestId', requestId);
    c.set('errorFormat', errorFormatFor(c.req.path));
    // Set before the handler runs, so responses built by Hono (errors, documents) carry it. Adding
    // it to a finished Response afterwards would copy the whole response on the hot path.
    c.header('X-Request-Id', requestId);
    await next();
    const route = c.req.routePath || 'unmatched';
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  };
}

function errorFormatFor(path: string): ErrorFormat {
  if (path.startsWith('/v1/')) return 'openai';
  if (path.startsWith('/ml/')) return 'watsonx';
  return 'keel';
}
