/**
 * @module server/openapi
 * The OpenAPI document (generated from the same zod schemas the routes validate with) and a
 * browsable reference served from local assets — it works air-gapped.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv } from './context.js';
import { docsContentSecurityPolicy } from './middleware/security-headers.js';

const require = createRequire(import.meta.url);

export function registerOpenApi(app: OpenAPIHono<KeelEnv>, version: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A Keel API key',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Keel API',
      version,
      description:
        'Keel: models and prompts, data and governance. OpenAI-compatible routes under /v1, watsonx.ai-compatible routes under /ml/v1, Keel’s own under /api/v1.',
    },
    security: [{ bearer: [] }],
  });

  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const assets: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  };
  const cache = new Map<string, Buffer>();
  // The start-up script is a file, not inline, so the page's CSP can say `script-src 'self'`.
  const start =
    "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: false });\n";
  app.get('/docs/assets/start.js', (c) =>
    c.body(start, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  );
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = assets[file];
    if (!type) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      body = await readFile(path.join(assetDir, file));
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
  app.get('/docs', (c) =>
    c.html(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keel API reference</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="reference"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/start.js"></script>
</body></html>`,
      200,
      { 'content-security-policy': docsContentSecurityPolicy, 'cache-control': 'no-cache' },
    ),
  );
}
