/**
 * @module server/middleware/route-body-limits
 * Each route accepts the body its work can use, not one global size. Routes that hand text to a
 * model (generation, chat, embeddings, tokenization, Prompt Lab runs, guardrail checks, RAG
 * questions, previews and experiments) take up to 4 MiB: about the largest context window a model runs with
 * (a million tokens of English is ~4 MB), so a bigger body can only fail later, after costing
 * CPU. Everything else (keys, projects, policies, templates …) takes 1 MiB. Document uploads
 * keep their own, larger limit. `server.bodyLimit` in the configuration caps every non-upload
 * limit (an operator can only lower them).
 */
import type { MiddlewareHandler } from 'hono';
import { KeelError } from '../../core/errors.js';
import { limitBody } from './body-limit.js';

/** Bodies of routes that feed text to a model. */
export const MODEL_INPUT_LIMIT_BYTES = 4 * 1024 * 1024;
/** Bodies of every other JSON route. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

const modelInputPaths = [
  /^\/v1\//,
  /^\/ml\//,
  /^\/api\/v1\/(?:compare|prompt-runs|prompt-files|prompt-sessions(?:\/[^/]+)?)$/,
  /^\/api\/v1\/prompts\/(?:[^/]+\/)?(?:run|render)$/,
  /^\/api\/v1\/guardrails\/check$/,
  /^\/api\/v1\/collections\/(?:preview|[^/]+\/(?:ask|search|experiments))$/,
];

export interface RouteBodyLimitOptions {
  /** The configured ceiling (`server.bodyLimit`). */
  ceiling: number;
  /** Paths that receive uploads (documents, datasets …), each with its limit. */
  uploads: { path: RegExp; limitBytes: number }[];
}

/** The limit for a path (not for uploads). */
export function bodyLimitFor(path: string, ceiling: number): number {
  const limit = modelInputPaths.some((pattern) => pattern.test(path))
    ? MODEL_INPUT_LIMIT_BYTES
    : DEFAULT_BODY_LIMIT_BYTES;
  return Math.min(limit, ceiling);
}

function tooLarge(limitBytes: number, message: string): () => never {
  return () => {
    throw new KeelError('payload_too_large', message, { data: { limitBytes } });
  };
}

/** One middleware that applies the limit of the request's route. */
export function routeBodyLimits(options: RouteBodyLimitOptions): MiddlewareHandler {
  const modelInput = Math.min(MODEL_INPUT_LIMIT_BYTES, options.ceiling);
  const other = Math.min(DEFAULT_BODY_LIMIT_BYTES, options.ceiling);
  const byLimit = new Map<number, MiddlewareHandler>();
  for (const limit of new Set([modelInput, other])) {
    byLimit.set(
      limit,
      limitBody(
        limit,
        tooLarge(limit, `The request body is larger than this route accepts (${limit} bytes).`),
      ),
    );
  }
  const uploads = options.uploads.map(({ path, limitBytes }) => {
    const limit = Math.max(options.ceiling, limitBytes);
    const handler = limitBody(
      limit,
      tooLarge(limit, `The upload is larger than ${limit} bytes; send fewer or smaller files.`),
    );
    return { path, handler };
  });
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const path = c.req.path;
    for (const upload of uploads) if (upload.path.test(path)) return upload.handler(c, next);
    return byLimit.get(bodyLimitFor(path, options.ceiling))!(c, next);
  };
}
