/**
 * @module server/middleware/request-context
 * Request id, security headers, error format for the route family, and the HTTP metrics.
 */
import type { MiddlewareHandler } from 'hono';
import { randomToken } from '../../core/ids.js';
import type { KeelMetrics } from '../../core/metrics.js';
import type { ErrorFormat, KeelEnv } from '../context.js';
import { apiSecurityHeaders } from './security-headers.js';

const securityHeaderEntries = Object.entries(apiSecurityHeaders);

/** Routes whose bound metric children are kept (matched route patterns: a bounded set). */
const maxBoundRoutes = 2000;

/**
 * The HTTP metric children of one method and route, bound once: prom-client otherwise hashes the
 * label object on every observation.
 */
export function httpFigures(metrics: KeelMetrics) {
  const bound = new Map<
    string,
    {
      duration: ReturnType<KeelMetrics['httpDuration']['labels']>;
      requests: Map<number, ReturnType<KeelMetrics['httpRequests']['labels']>>;
    }
  >();
  return (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${route}`;
    let figures = bound.get(key);
    if (!figures) {
      if (bound.size >= maxBoundRoutes) bound.clear();
      figures = { duration: metrics.httpDuration.labels(method, route), requests: new Map() };
      bound.set(key, figures);
    }
    let requests = figures.requests.get(status);
    if (!requests) {
      requests = metrics.httpRequests.labels(method, route, String(status));
      figures.requests.set(status, requests);
    }
    requests.inc();
    figures.duration.observe(seconds);
  };
}

export function requestContext(metrics: KeelMetrics): MiddlewareHandler<KeelEnv> {
  const observe = httpFigures(metrics);
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    c.set('errorFormat', errorFormatFor(c.req.path));
    // Set before the handler runs, so responses built by Hono (errors, documents) carry it. Adding
    // it to a finished Response afterwards would copy the whole response on the hot path.
    c.header('X-Request-Id', requestId);
    for (const [name, value] of securityHeaderEntries) c.header(name, value);
    await next();
    // Handlers answer "204 No Content" with a bare Response; the headers set above never reach it.
    const res = c.res;
    if (res.status === 204 && !res.headers.has('x-content-type-options')) {
      for (const [name, value] of securityHeaderEntries) res.headers.set(name, value);
    }
    observe(c.req.method, c.req.routePath || 'unmatched', c.res.status, (performance.now() - started) / 1000);
  };
}

/** The caller's `X-Request-Id` when it is a plain token, else a new one. */
export function requestIdFrom(header: string | undefined): string {
  return header && /^[\w.-]{1,128}$/.test(header) ? header : `req_${randomToken(16)}`;
}

/** The watsonx data-platform paths (prompt assets and sessions, also at the root; beta). */
const watsonxPlatformPaths = /^\/(wx\/|v1\/prompts(\/|$)|v1\/prompt_sessions(\/|$)|v1-beta\/)/;

/**
 * The error dialect of a path's clients: watsonx.ai under /ml, /v2 and the data-platform paths,
 * OpenAI under the rest of /v1, else Keel. Decided here, before any middleware can refuse the
 * request (body limits, NUL bytes), so those refusals speak the same dialect as the route.
 */
export function errorFormatFor(path: string): ErrorFormat {
  if (watsonxPlatformPaths.test(path)) return 'watsonx';
  if (path.startsWith('/v1/') || path === '/v1') return 'openai';
  if (path.startsWith('/ml/') || path.startsWith('/v2/') || path === '/ml' || path === '/v2')
    return 'watsonx';
  return 'keel';
}
