/**
 * @module server/routes/data/query-page-routes
 * `POST /api/v1/data/query/page`: the next page of a paged query (`page_size` on
 * `/api/v1/data/query`). The result was spooled on the server when the query ran; the page token
 * is signed and valid only for the project and role it was issued to, for 15 minutes. The token
 * travels in the body, not the URL, so it stays out of access logs.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { dataQueryPageRequestSchema, dataQueryResponseSchema } from '../../../api/data.js';
import type { QueryAnswer } from '../../../data/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { okJson as ok } from '../route-shapes.js';

const page = createRoute({
  method: 'post',
  path: '/api/v1/data/query/page',
  tags: ['Data'],
  summary: 'The next page of a paged query result (from next_page_token)',
  request: {
    body: { required: true, content: { 'application/json': { schema: dataQueryPageRequestSchema } } },
  },
  responses: ok(dataQueryResponseSchema, 'The page'),
});

type Paged = { totalRows: number; offset: number; nextPageToken: string | null };

/** A query result (or one page of it) as the API returns it. */
export function queryResultJson(result: QueryAnswer & Partial<Paged>) {
  return {
    columns: result.columns,
    rows: result.rows,
    row_count: result.rows.length,
    truncated: result.truncated,
    tables: result.tables,
    masked: result.masked,
    elapsed_ms: result.elapsedMs,
    ...(result.totalRows !== undefined
      ? { total_rows: result.totalRows, offset: result.offset, next_page_token: result.nextPageToken }
      : {}),
  };
}

/** Row count and truncation as headers, as on every query response. */
export function queryHeaders(result: Pick<QueryAnswer, 'rows' | 'truncated'>) {
  return { 'x-keel-row-count': String(result.rows.length), 'x-keel-truncated': String(result.truncated) };
}

export function registerDataQueryPageRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { data } = services;
  app.openapi(page, async (c) => {
    const caller = callerOf(c, 'read');
    const body = c.req.valid('json');
    const result = await data.page(caller.projectId, body.page_token, {
      role: caller.role,
      signal: caller.signal,
      timeoutMs: body.timeout_ms,
    });
    return json(queryResultJson(result), 200, queryHeaders(result));
  });
}
