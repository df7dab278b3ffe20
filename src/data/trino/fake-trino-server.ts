/**
 * @module data/trino/fake-trino-server
 * A Trino coordinator for tests, on 127.0.0.1: it speaks Trino's client protocol over real HTTP
 * (`POST /v1/statement`, then `GET` on each `nextUri` — queued, then executing pages — until a
 * last answer without one; `DELETE` on a `nextUri` or on `/v1/query/{id}` cancels) and answers
 * each statement with its recorded response: columns, rows split into pages, or Trino's error
 * object. A statement with no recording gets Trino's own answer to an unknown table, so a test
 * sees exactly which SQL Keel sent. An `endless` recording keeps answering "running" with no rows
 * until the query is cancelled, as a query that never ends does.
 *
 * The shape of every answer follows responses captured from real coordinators, written again here
 * (not copied): the unit-test fixtures of trinodb/trino-python-client (tests/unit/conftest.py,
 * "the response … from an actual Trino session", Trino 360: the QUEUED POST answer, a RUNNING page
 * with `partialCancelUri` and `rootStage`, a SYNTAX_ERROR with `errorLocation` and `failureInfo`),
 * and a 2022 walk-through that follows `nextUri` with curl against a Trino coordinator (queued
 * tokens 1, 2, then `executing/{id}/{slug}/0`; `y` + 40 hex slugs; `physicalInputBytes`,
 * `failedTasks`, `coordinatorOnly`, `progressPercentage`; `warnings: []` on every answer; a FAILED
 * answer with no `nextUri` and `scheduled: false`). Each `nextUri` carries a new slug and the next
 * token; a `varchar` column's type signature has its length (2147483647 when unbounded) as a
 * `LONG` argument.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrinoRecordedError {
  message: string;
  errorCode: number;
  errorName: string;
  errorType: 'USER_ERROR' | 'INTERNAL_ERROR' | 'INSUFFICIENT_RESOURCES' | 'EXTERNAL';
  /** Where in the statement (syntax and analysis errors). */
  errorLocation?: { lineNumber: number; columnNumber: number };
  /** The Java exception's class in `failureInfo` (default io.trino.spi.TrinoException). */
  failureType?: string;
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
  /** The token the last `nextUri` named (queued from 1, executing from 0 again). */
  token: number;
  executing: boolean;
}

const normal = (sql: string) => sql.replace(/\s+/g, ' ').trim();

type State = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED';

/** A stage's counters, as `rootStage` and its `subStages` carry them. */
function stage(stageId: string, state: string, done: boolean, rows: number) {
  return {
    stageId,
    state,
    done,
    nodes: 1,
    totalSplits: 1,
    queuedSplits: 0,
    runningSplits: done ? 0 : 1,
    completedSplits: done ? 1 : 0,
    cpuTimeMillis: 1,
    wallTimeMillis: 1,
    processedRows: rows,
    processedBytes: rows * 16,
    physicalInputBytes: rows * 16,
    failedTasks: 0,
    coordinatorOnly: false,
  };
}

function stats(state: State, rows = 0) {
  // Once scheduled, the query has a root stage reading from one leaf stage.
  const scheduled = state === 'RUNNING' || state === 'FINISHED';
  const done = state === 'FINISHED';
  return {
    state,
    queued: state === 'QUEUED',
    scheduled,
    nodes: scheduled ? 1 : 0,
    totalSplits: scheduled ? 2 : 0,
    queuedSplits: 0,
    runningSplits: state === 'RUNNING' ? 1 : 0,
    completedSplits: scheduled ? (done ? 2 : 1) : 0,
    cpuTimeMillis: scheduled ? 2 : 0,
    wallTimeMillis: scheduled ? 3 : 0,
    queuedTimeMillis: 1,
    elapsedTimeMillis: scheduled ? 5 : 1,
    processedRows: rows,
    processedBytes: rows * 16,
    physicalInputBytes: rows * 16,
    peakMemoryBytes: scheduled ? 1024 : 0,
    spilledBytes: 0,
    ...(scheduled
      ? {
          rootStage: {
            ...stage('0', state, done, rows),
            subStages: [{ ...stage('1', 'FINISHED', true, rows), subStages: [] }],
          },
          progressPercentage: done ? 100 : 50,
        }
      : {}),
  };
}

/** Trino's type signature: `varchar(25)` is rawType varchar with a LONG argument 25 (unbounded: 2147483647). */
function typeSignature(type: string) {
  const rawType = type.replace(/\(.*$/, '');
  const lengths = /\(([\d,\s]+)\)/
    .exec(type)?.[1]
    ?.split(',')
    .map((value) => Number(value.trim()));
  const longs = lengths ?? (rawType === 'varchar' ? [2147483647] : []);
  return { rawType, arguments: longs.map((value) => ({ kind: 'LONG', value })) };
}

/** A `nextUri` slug: `y` and 40 hex digits, new for each answer. */
const slug = (id: string, token: number) => `y${createHash('sha1').update(`${id}/${token}`).digest('hex')}`;

/** A Java failure as Trino reports it (the stack is left empty here). */
function failureInfo(type: string, message: string) {
  return { type, message, suppressed: [], stack: [] };
}

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

  // Queued answers count tokens from 1; the first executing answer's token is 0 again.
  const next = (query: Running, kind: 'queued' | 'executing') => {
    query.token = kind === 'executing' && !query.executing ? 0 : query.token + 1;
    query.executing = kind === 'executing';
    return `${base}/v1/statement/${kind}/${query.id}/${slug(query.id, query.token)}/${query.token}`;
  };
  const partialCancel = (query: Running) =>
    `${base}/v1/statement/executing/partialCancel/${query.id}/1/${slug(query.id, query.token)}/${query.token}`;

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
      const query: Running = { id, recording, pages, page: 0, token: 0, executing: false };
      running.set(id, query);
      answer(response, 200, result(query, { nextUri: next(query, 'queued'), stats: stats('QUEUED') }));
      return;
    }

    const match =
      /^\/v1\/(?:statement\/(?:queued|executing|executing\/partialCancel)\/([^/]+)\/(?:\d+\/)?y[0-9a-f]{40}\/\d+|query\/([^/]+))$/.exec(
        url.pathname,
      );
    const query = match ? running.get(match[1] ?? match[2] ?? '') : undefined;
    if (!query) {
      answer(response, 404, undefined);
      return;
    }
    if (request.method === 'DELETE' && url.pathname.includes('/partialCancel/')) {
      // Stops the leaf stage only: the rows already produced are still answered.
      answer(response, 204);
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
            failureInfo: failureInfo('io.trino.spi.TrinoException', 'Query was canceled'),
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
      const { failureType, ...error } = recording.error;
      answer(
        response,
        200,
        result(query, {
          stats: stats('FAILED'),
          error: {
            ...error,
            failureInfo: {
              ...failureInfo(failureType ?? 'io.trino.spi.TrinoException', error.message),
              ...(error.errorLocation ? { errorLocation: error.errorLocation } : {}),
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
    const read = query.pages.slice(0, query.page).reduce((sum, page) => sum + page.length, 0);
    const nextUri = more ? next(query, 'executing') : undefined;
    answer(
      response,
      200,
      result(query, {
        ...(nextUri ? { partialCancelUri: partialCancel(query), nextUri } : {}),
        columns,
        ...(data ? { data } : {}),
        stats: stats(more ? 'RUNNING' : 'FINISHED', read),
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
