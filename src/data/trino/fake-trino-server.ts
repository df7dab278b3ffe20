/**
 * @module data/trino/fake-trino-server
 * A Trino coordinator for tests, on 127.0.0.1: it speaks Trino's client protocol over real HTTP
 * (`POST /v1/statement`, then `GET` on each `nextUri` — queued, then executing pages — until a
 * last answer without one; `DELETE` on a `nextUri` or on `/v1/query/{id}` cancels) and answers
 * each statement with its recorded response: columns, rows split into pages, or Trino's error
 * object. A statement with no recording gets Trino's own answer to an unknown table, so a test
 * sees exactly which SQL Keel sent. An `endless` recording keeps answering "running" with no rows
 * until the query is cancelled, as a query that never ends does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrinoRecordedError {
  message: string;
  errorCode: number;
  errorName: string;
  errorType: 'USER_ERROR' | 'INTERNAL_ERROR' | 'INSUFFICIENT_RESOURCES' | 'EXTERNAL';
}

export interface TrinoRecording {
  columns?: Array<{ name: string; type: string }>;
  rows?: unknown[][];
  /** Rows per executing page (default 2, so most results span several `nextUri` pages). */
  pageRows?: number;
  error?: TrinoRecordedError;
  endless?: boolean;
}

export interface FakeTrino {
  url: string;
  /** Every statement submitted, as sent. */
  statements: string[];
  /** Every request: method and path. */
  requests: Array<{ method: string; path: string; user: string | undefined }>;
  /** Query ids cancelled (DELETE on a nextUri or on /v1/query/{id}). */
  cancelled: Set<string>;
  close(): Promise<void>;
}

interface Running {
  id: string;
  recording: TrinoRecording;
  pages: unknown[][][];
  page: number;
}

const normal = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function stats(state: string) {
  return {
    state,
    queued: state === 'QUEUED',
    scheduled: state !== 'QUEUED',
    nodes: state === 'QUEUED' ? 0 : 1,
    totalSplits: 1,
    queuedSplits: 0,
    runningSplits: state === 'RUNNING' ? 1 : 0,
    completedSplits: state === 'FINISHED' ? 1 : 0,
    cpuTimeMillis: 1,
    wallTimeMillis: 1,
    queuedTimeMillis: 0,
    elapsedTimeMillis: 2,
    processedRows: 0,
    processedBytes: 0,
    physicalInputBytes: 0,
    peakMemoryBytes: 0,
    spilledBytes: 0,
  };
}

const typeSignature = (type: string) => ({ rawType: type.replace(/\(.*$/, ''), arguments: [] });

export async function startFakeTrino(recordings: Record<string, TrinoRecording>): Promise<FakeTrino> {
  const byStatement = new Map(Object.entries(recordings).map(([sql, recording]) => [normal(sql), recording]));
  const running = new Map<string, Running>();
  const statements: string[] = [];
  const requests: FakeTrino['requests'] = [];
  const cancelled = new Set<string>();
  let sequence = 0;
  let base = '';

  const answer = (response: ServerResponse, status: number, body?: unknown) => {
    response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const result = (query: Running, extra: Record<string, unknown>) => ({
    id: query.id,
    infoUri: `${base}/ui/query.html?${query.id}`,
    ...extra,
    warnings: [],
  });

  const next = (query: Running, kind: 'queued' | 'executing') =>
    `${base}/v1/statement/${kind}/${query.id}/y${query.page}/${query.page + 1}`;

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', base);
    const user = request.headers['x-trino-user'] as string | undefined;
    requests.push({ method: request.method ?? '', path: url.pathname, user });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    if (request.method === 'POST' && url.pathname === '/v1/statement') {
      if (!user) {
        answer(response, 400, undefined);
        return;
      }
      statements.push(body);
      const id = `20261207_063700_${String(sequence++).padStart(5, '0')}_keelf`;
      const recording = byStatement.get(normal(body)) ?? {
        error: {
          message: `line 1:1: no recorded response for: ${normal(body).slice(0, 200)}`,
          errorCode: 46,
          errorName: 'TABLE_NOT_FOUND',
          errorType: 'USER_ERROR',
        },
      };
      const rows = recording.rows ?? [];
      const size = recording.pageRows ?? 2;
      const pages: unknown[][][] = [];
      for (let at = 0; at < rows.length; at += size) pages.push(rows.slice(at, at + size));
      const query: Running = { id, recording, pages, page: 0 };
      running.set(id, query);
      answer(response, 200, result(query, { nextUri: next(query, 'queued'), stats: stats('QUEUED') }));
      return;
    }

    const match = /^\/v1\/(?:statement\/(queued|executing)\/([^/]+)\/[^/]+\/\d+|query\/([^/]+))$/.exec(
      url.pathname,
    );
    const query = match ? running.get(match[2] ?? match[3] ?? '') : undefined;
    if (!query) {
      answer(response, 404, undefined);
      return;
    }
    if (request.method === 'DELETE') {
      cancelled.add(query.id);
      answer(response, 204);
      return;
    }
    if (cancelled.has(query.id)) {
      answer(
        response,
        200,
        result(query, {
          stats: stats('FAILED'),
          error: {
            message: 'Query was canceled',
            errorCode: 3,
            errorName: 'USER_CANCELED',
            errorType: 'USER_ERROR',
          },
        }),
      );
      return;
    }
    const { recording } = query;
    query.page++;
    if (recording.endless) {
      // A coordinator long-polls a running query for up to a second before answering "no rows yet".
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer(response, 200, result(query, { nextUri: next(query, 'executing'), stats: stats('RUNNING') }));
      return;
    }
    if (recording.error) {
      answer(
        response,
        200,
        result(query, {
          stats: stats('FAILED'),
          error: {
            ...recording.error,
            failureInfo: {
              type: 'io.trino.spi.TrinoException',
              message: recording.error.message,
              suppressed: [],
              stack: [],
            },
          },
        }),
      );
      return;
    }
    const columns = (recording.columns ?? []).map((column) => ({
      ...column,
      typeSignature: typeSignature(column.type),
    }));
    const data = query.pages[query.page - 1];
    const more = query.page < query.pages.length;
    answer(
      response,
      200,
      result(query, {
        ...(more ? { nextUri: next(query, 'executing') } : {}),
        columns,
        ...(data ? { data } : {}),
        stats: stats(more ? 'RUNNING' : 'FINISHED'),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    statements,
    requests,
    cancelled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
