/**
 * @module server/errors
 * The HTTP error boundary: every error leaves the server here, as a KeelError rendered in the
 * shape the route family's clients expect (Keel, OpenAI or watsonx). Unknown errors are logged
 * with their stack and answered with a generic 500 — never a stack trace.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { KeelError, toKeelError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ErrorFormat, KeelEnv } from './context.js';

export function normaliseHttpError(error: unknown): KeelError {
  if (error instanceof KeelError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413)
      return new KeelError('payload_too_large', 'The request body is larger than the server accepts.');
    if (error.status === 400 && /json/i.test(error.message)) {
      return new KeelError('invalid_json', 'The request body is not valid JSON.', {
        issues: [{ code: 'invalid_json', path: [], message: 'Malformed JSON in request body' }],
      });
    }
    if (error.status === 415) return unsupportedMediaType();
    // Hono's own messages (never the request's content), and short.
    if (error.status === 400)
      return new KeelError('invalid_request', error.message.slice(0, 200) || 'Bad request.');
    if (error.status === 401)
      return new KeelError('unauthorized', error.message || 'Authentication required.');
    if (error.status === 404) return new KeelError('not_found', 'Not found.');
  }
  if (error instanceof SyntaxError)
    return new KeelError('invalid_json', 'The request body is not valid JSON.');
  // A malformed percent-encoding (`/%E0%A4%A`) wherever a handler decodes the URL itself.
  if (error instanceof URIError)
    return new KeelError('invalid_request', 'The URL has a malformed percent-encoding.');
  return toKeelError(error);
}

/** 415 for a JSON route that received text, form data, or a body with no content type. */
export function unsupportedMediaType(): KeelError {
  return new KeelError(
    'unsupported_media_type',
    'This route accepts only JSON: send the body with "Content-Type: application/json".',
    {
      issues: [
        {
          code: 'unsupported_media_type',
          path: ['content-type'],
          message: 'Expected Content-Type: application/json',
        },
      ],
    },
  );
}

const openAIType: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** The error body for a route family. */
export function errorBody(error: KeelError, format: ErrorFormat, requestId: string): Record<string, unknown> {
  const base = error.toJSON();
  if (format === 'openai') {
    const firstPath = error.issues?.[0]?.path;
    return {
      error: {
        message: error.message,
        type: openAIType[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error'),
        param: firstPath?.length ? firstPath.join('.') : null,
        code: error.code,
        ...(error.issues ? { issues: error.issues } : {}),
        ...(base.data ? { data: base.data } : {}),
      },
    };
  }
  if (format === 'watsonx') {
    return {
      errors: [
        {
          code: error.code,
          message: error.message,
          ...(typeof base.data?.hint === 'string' ? { more_info: base.data.hint } : {}),
        },
      ],
      trace: requestId,
      status_code: error.status,
      ...(error.issues ? { issues: error.issues } : {}),
    };
  }
  return { error: { ...base, requestId } };
}

export function errorResponse(c: Context<KeelEnv>, error: unknown, logger: Logger): Response {
  const reply = errorReply(
    error,
    c.get('errorFormat') ?? 'keel',
    c.get('requestId') ?? '',
    logger,
    c.req.routePath,
  );
  return c.json(reply.body, reply.status as ContentfulStatusCode, reply.headers);
}

/** Status, body and headers of an error answer; logs server errors (never the client's). */
export function errorReply(
  error: unknown,
  format: ErrorFormat,
  requestId: string,
  logger: Logger,
  route: string,
): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
  const keelError = normaliseHttpError(error);
  if (keelError.status >= 500) {
    logger.error(
      { requestId, code: keelError.code, route, err: keelError.cause ?? keelError },
      keelError.message,
    );
  }
  const headers: Record<string, string> = {};
  if (keelError.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="keel"';
  const retryAfter = keelError.data?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(Math.ceil(retryAfter));
  // The ledger's refusals name the limit that tripped (deployments/ledger).
  const rateLimit = keelError.data?.rateLimit as
    | { limit?: unknown; remaining?: unknown; resetSeconds?: unknown; name?: unknown }
    | undefined;
  if (rateLimit && typeof rateLimit.limit === 'number') {
    headers['X-RateLimit-Limit'] = String(rateLimit.limit);
    headers['X-RateLimit-Remaining'] = String(rateLimit.remaining ?? 0);
    if (typeof rateLimit.resetSeconds === 'number')
      headers['X-RateLimit-Reset'] = String(rateLimit.resetSeconds);
    if (typeof rateLimit.name === 'string') headers['X-RateLimit-Scope'] = rateLimit.name;
  }
  return { status: keelError.status, body: errorBody(keelError, format, requestId), headers };
}
