/**
 * @module server/routes/data/query-lane
 * `POST /api/v1/data/query` with a JSON result, whole or paged: the request the route hands the
 * data service and the answer it returns, shared by the route (routes/data) and the direct lane
 * (server/direct-lane), which serves the same call from `node:http`. Exports (`format` other than
 * json) stream a file: the lane leaves those to the app.
 */
import type { z } from '@hono/zod-openapi';
import { dataQueryRequestSchema } from '../../../api/data.js';
import type { DataService, QueryOrigin } from '../../../data/index.js';
import type { Role } from '../../../platform/roles.js';
import { header, type LaneRoute } from '../../direct-lane.js';
import { actorOf } from '../../middleware/request-scope.js';
import { scopeOf } from '../../project-scope.js';
import { closeSignal } from '../../request-signal.js';
import { queryHeaders, queryResultJson } from './query-page-routes.js';

type QueryBody = z.infer<typeof dataQueryRequestSchema>;

/** The caller as a query needs it: its project, its role (for masks), the client's going away. */
export interface QueryCaller {
  projectId: string;
  role: Role;
  signal: AbortSignal;
  /** Who asked, where no request scope says it (the direct lane). */
  origin?: QueryOrigin | undefined;
}

/** What the data service is asked, from the route's body. */
export function queryRequest(body: QueryBody, caller: QueryCaller) {
  return {
    sql: body.sql,
    params: body.params,
    maxRows: body.max_rows,
    timeoutMs: body.timeout_ms,
    signal: caller.signal,
    role: caller.role,
    origin: caller.origin,
  };
}

/** Runs a query with a JSON result (paged when `page_size` is given): the body and its headers. */
export async function queryAnswer(data: DataService, caller: QueryCaller, body: QueryBody) {
  const request = queryRequest(body, caller);
  const result =
    body.page_size !== undefined
      ? await data.queryPaged(caller.projectId, { ...request, pageSize: body.page_size })
      : await data.query(caller.projectId, request);
  return { body: queryResultJson(result), headers: queryHeaders(result) };
}

export const dataQueryLane: LaneRoute<QueryBody> = {
  path: '/api/v1/data/query',
  format: 'keel',
  parse(json) {
    const result = dataQueryRequestSchema.safeParse(json);
    if (!result.success || (result.data.format !== undefined && result.data.format !== 'json'))
      return undefined;
    return result.data;
  },
  answer({ services, incoming, outgoing, principal, body, requestId }) {
    const scope = scopeOf(principal, 'read', header(incoming, 'x-keel-project'));
    return queryAnswer(
      services.data,
      {
        projectId: scope.projectId,
        role: scope.role,
        signal: closeSignal(outgoing),
        origin: { actor: actorOf(principal, scope.projectId), requestId },
      },
      body,
    );
  },
};
