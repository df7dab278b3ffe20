/**
 * @module server/routes/data/ask-routes
 * `POST /api/v1/data/ask`: a question in Korean or English answered with checked, read-only SQL
 * over the project's tables (masked for the caller), its result, a short explanation and every
 * step taken. Asking spends model tokens, so it needs the `invoke` permission. With `page_size` the
 * result is paged as a query's is: its first page and a token for `POST /api/v1/data/query/page`.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { dataAskRequestSchema, dataAskResponseSchema } from '../../../api/data.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors } from '../route-shapes.js';
import { queryResultJson } from './query-page-routes.js';

const ask = createRoute({
  method: 'post',
  path: '/api/v1/data/ask',
  tags: ['Data'],
  summary:
    'Answer a question with SQL: tables chosen from the catalog, SQL written by the model, checked, masked, run, repaired once',
  request: {
    body: { required: true, content: { 'application/json': { schema: dataAskRequestSchema } } },
  },
  responses: {
    200: {
      description: 'The answer (ok false when even the repaired SQL failed), with every step',
      content: { 'application/json': { schema: dataAskResponseSchema } },
    },
    ...errors,
  },
});

export function registerDataAskRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { data } = services;
  app.openapi(ask, async (c) => {
    const caller = callerOf(c, 'invoke');
    const body = c.req.valid('json');
    const answer = await data.ask(caller.projectId, {
      question: body.question,
      model: body.model,
      role: caller.role,
      maxRows: body.max_rows,
      timeoutMs: body.timeout_ms,
      pageSize: body.page_size,
      signal: caller.signal,
      context: { projectId: caller.projectId, keyId: caller.keyId, endpoint: '/api/v1/data/ask' },
    });
    const { result, ...rest } = answer;
    return json({ ...rest, result: result ? queryResultJson(result) : null });
  });
}
