/**
 * @module server/routes/governance/factsheets
 * `/api/v1/factsheets/{useCaseId}`: a use case's factsheet, captured from what governance
 * recorded, as JSON (the default) or exported as Markdown or PDF (`?format=md|json|pdf`, with
 * `?approach=` for one approach version and `?lang=ko` for Korean); `/diff?from=&to=` compares two
 * approach versions field by field. Another project's use case is a 404, like a missing one.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  factsheetDiffQuerySchema,
  factsheetDiffSchema,
  factsheetQuerySchema,
  factsheetSchema,
} from '../../../api/factsheets.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { apiSecurityHeaders } from '../../middleware/security-headers.js';
import { json } from '../../respond.js';
import { errors, govCaller, ok } from './shared.js';

const tags = ['Governance'];
const useCaseParam = z.object({ useCaseId: z.string().min(1).max(200) });

const routes = {
  get: createRoute({
    method: 'get',
    path: '/api/v1/factsheets/{useCaseId}',
    tags,
    summary: "A use case's factsheet (JSON), or its Markdown or PDF export",
    request: { params: useCaseParam, query: factsheetQuerySchema },
    responses: {
      200: {
        description: 'The factsheet',
        content: {
          'application/json': { schema: factsheetSchema },
          'text/markdown': { schema: z.string() },
          'application/pdf': { schema: z.string().describe('binary') },
        },
      },
      ...errors,
    },
  }),
  diff: createRoute({
    method: 'get',
    path: '/api/v1/factsheets/{useCaseId}/diff',
    tags,
    summary: 'What changed between two approach versions of a use case, field by field',
    request: { params: useCaseParam, query: factsheetDiffQuerySchema },
    responses: ok(factsheetDiffSchema, 'The changes'),
  }),
};

/** `filename*` carries a name with Korean letters; the plain `filename` an ASCII fallback. */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function registerFactsheetRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { factsheets } = services;

  app.openapi(routes.diff, async (c) => {
    const caller = govCaller(c, 'read');
    const { from, to } = c.req.valid('query');
    return json(await factsheets.diff(caller.projectId, c.req.valid('param').useCaseId, from, to));
  });

  app.openapi(routes.get, async (c) => {
    const caller = govCaller(c, 'read');
    const query = c.req.valid('query');
    const format = query.format ?? 'json';
    const result = await factsheets.export(caller, c.req.valid('param').useCaseId, {
      format,
      approach: query.approach,
      language: query.lang,
    });
    if (format === 'json') return json(JSON.parse(result.body as string));
    const headers: Record<string, string> = {
      ...apiSecurityHeaders,
      'content-type': result.contentType,
      'content-disposition': disposition(result.filename),
    };
    if (result.hangul !== undefined) headers['x-keel-pdf-hangul'] = String(result.hangul);
    return new Response(result.body as BodyInit, { status: 200, headers }) as never;
  });
}
