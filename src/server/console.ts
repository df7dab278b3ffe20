/**
 * @module server/console
 * Serves the built web console (web/dist) at `/`, with the single-page app's index for any
 * non-API path. When the console has not been built, `/` says how to build it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv } from './context.js';

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

const apiPrefixes = ['/v1/', '/ml/', '/api/', '/docs', '/openapi.json', '/metrics', '/health'];

export function serveConsole(app: OpenAPIHono<KeelEnv>, consoleDir: string | undefined): void {
  const root =
    consoleDir && existsSync(path.join(consoleDir, 'index.html')) ? path.resolve(consoleDir) : undefined;
  app.get('*', async (c, next) => {
    const requestPath = c.req.path;
    if (apiPrefixes.some((prefix) => requestPath.startsWith(prefix))) return next();
    if (!root) {
      return c.html(
        '<!doctype html><meta charset="utf-8"><title>Keel</title><p>The Keel API is running. The web console has not been built: run <code>npm run build</code> and restart. API reference: <a href="/docs">/docs</a>.</p>',
      );
    }
    const decoded = decodeURIComponent(requestPath);
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
    return c.html(await readFile(path.join(root, 'index.html'), 'utf8'), 200, {
      'cache-control': 'no-cache',
    });
  });
}
