/**
 * @module server/routes/watsonx/guards
 * What every watsonx.ai-compatible route shares, registered before any of them:
 * - the watsonx error dialect also for the data-platform paths the SDK calls (`/wx/...`, and
 *   `/v1/prompts`, `/v1/prompt_sessions` for clients pointed at the platform root);
 * - `version=YYYY-MM-DD`: optional, but a malformed or unknown one is a coded 400;
 * - a watsonx method Keel does not serve answers a watsonx-style 501 (or 404) naming Keel's
 *   nearest feature, never the generic "no route". Routes that land later (another module's)
 *   take precedence: the answer is only rewritten when no route matched.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { KeelEnv } from '../../context.js';
import { errorResponse } from '../../errors.js';
import { notSupportedFor } from './not-supported.js';

/** The first API version date watsonx.ai published. */
export const FIRST_VERSION = '2023-05-01';

const platformPaths = /^\/(wx\/|v1\/prompts(\/|$)|v1\/prompt_sessions(\/|$)|v1-beta\/)/;

export function isWatsonxPath(path: string): boolean {
  return (
    path.startsWith('/ml/') || path.startsWith('/v2/') || platformPaths.test(path) || path.startsWith('/wx')
  );
}

/** Checks a `version` query value; returns the error to answer, if any. */
export function versionError(version: string | undefined, now = new Date()): KeelError | undefined {
  if (version === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(version);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  const valid = date !== undefined && date.toISOString().slice(0, 10) === version;
  const latest = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  if (valid && version >= FIRST_VERSION && version <= latest) return undefined;
  return new KeelError(
    'unsupported_version',
    valid
      ? `API version ${version} is not one Keel knows: use a date from ${FIRST_VERSION} to today.`
      : `The version query parameter must be a date, YYYY-MM-DD (got "${version.slice(0, 40)}").`,
    {
      issues: [
        { code: 'unsupported_version', path: ['version'], message: `between ${FIRST_VERSION} and today` },
      ],
      data: { hint: 'e.g. ?version=2024-05-31' },
    },
  );
}

export function registerWatsonxGuards(app: OpenAPIHono<KeelEnv>, logger: Logger): void {
  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (!isWatsonxPath(path)) return next();
    if (platformPaths.test(path)) c.set('errorFormat', 'watsonx');
    const error = versionError(c.req.query('version'));
    if (error) throw error;
    await next();
    if (c.res.status !== 404) return;
    let body: { errors?: { message?: string }[] } | undefined;
    try {
      body = (await c.res.clone().json()) as typeof body;
    } catch {
      return;
    }
    if (!body?.errors?.[0]?.message?.startsWith('No route for')) return;
    const answer = notSupportedFor(c.req.method, path);
    if (answer) c.res = errorResponse(c, answer, logger);
  });
}
