/**
 * @module server/console
 * Serves the built web console (web/dist) at `/`, with the single-page app's index for any
 * non-API GET path. API paths (/v1, /v2, /ml, /api …) never fall back to the page: an unknown one
 * is a JSON 404 in its clients' dialect, so an SDK call to a route Keel lacks fails clearly
 * instead of "succeeding" with HTML. Pages carry a strict Content-Security-Policy. When the
 * console has not been built, `/` says how to build it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { KeelError } from '../core/errors.js';
import type { KeelEnv } from './context.js';
import { consoleContentSecurityPolicy } from './middleware/security-headers.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** First path segments that belong to the API (and its reference), never to the console. */
const apiSegments = new Set([
  'v1',
  'v2',
  'ml',
  'api',
  'docs',
  'openapi.json',
  'metrics',
  'health',
  'wx',
  'v1-beta',
]);

/** True for paths the console must not answer: `/v2/spaces`, `/ml`, `/api/v1/x` … */
export function isApiPath(requestPath: string): boolean {
  const end = requestPath.indexOf('/', 1);
  return apiSegments.has(requestPath.slice(1, end < 0 ? undefined : end));
}

const pageHeaders = { 'cache-control': 'no-cache', 'content-security-policy': consoleContentSecurityPolicy };

function decodePath(requestPath: string): string {
  try {
    return decodeURIComponent(requestPath);
  } catch {
    throw new KeelError('invalid_request', 'The path has a malformed percent-encoding.', {
      issues: [{ code: 'invalid_path', path: ['path'], message: 'Malformed percent-encoding' }],
    });
  }
}

export function serveConsole(app: OpenAPIHono<KeelEnv>, consoleDir: string | undefined): void {
  const root =
    consoleDir && existsSync(path.join(consoleDir, 'index.html')) ? path.resolve(consoleDir) : undefined;
  app.get('*', async (c, next) => {
    const requestPath = c.req.path;
    if (isApiPath(requestPath)) return next();
    const decoded = decodePath(requestPath);
    if (!root) {
      return c.html(
        '<!doctype html><meta charset="utf-8"><title>Keel</title><p>The Keel API is running. The web console has not been built: run <code>npm run build</code> and restart. API reference: <a href="/docs">/docs</a>.</p>',
        200,
        pageHeaders,
      );
    }
    const candidate = path.resolve(root, `.${decoded}`);
    // Never serve outside the console directory.
    const inside = candidate === root || candidate.startsWith(root + path.sep);
    const ext = path.extname(candidate);
    if (inside && ext && types[ext] && existsSync(candidate)) {
      const immutable = decoded.startsWith('/assets/');
      return c.body(new Uint8Array(await readFile(candidate)), 200, {
        'content-type': types[ext],
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
    if (ext && ext !== '.html') return next();
    return c.html(await readFile(path.join(root, 'index.html'), 'utf8'), 200, pageHeaders);
  });
}
