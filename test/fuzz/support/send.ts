/**
 * @module test/fuzz/support/send
 * One request into the app in memory, described as data (so a failure can print exactly what was
 * sent), and the answer read whole.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv } from '../../../src/server/context.js';

export interface ApiRequest {
  method: string;
  /** Already encoded as it should go on the wire. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON (with `content-type: application/json` unless `contentType` says otherwise). */
  body?: unknown;
  /** Sent as is, instead of `body`. */
  rawBody?: Uint8Array | string;
  /** `null`: no content-type header at all. */
  contentType?: string | null;
  /** Bearer key; `null` for none. */
  key?: string | null;
}

/** How long an answer may take before the request counts as hung (streams included). */
export const ANSWER_TIMEOUT_MS = 15_000;

export interface ApiAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  ms: number;
}

export function urlOf(request: ApiRequest): string {
  const query = request.query ? new URLSearchParams(request.query).toString() : '';
  return `http://keel.test${request.path}${query ? `?${query}` : ''}`;
}

export async function send(app: OpenAPIHono<KeelEnv>, request: ApiRequest): Promise<ApiAnswer> {
  const headers = new Headers(request.headers);
  if (request.key) headers.set('authorization', `Bearer ${request.key}`);
  let body: BodyInit | undefined;
  if (request.rawBody !== undefined) body = request.rawBody as BodyInit;
  else if (request.body !== undefined) body = JSON.stringify(request.body);
  if (body !== undefined && request.contentType !== null)
    headers.set('content-type', request.contentType ?? 'application/json');
  const started = performance.now();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no complete answer within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
  });
  let response: Response;
  let text: string;
  try {
    response = await Promise.race([
      app.request(urlOf(request), {
        method: request.method,
        headers,
        signal: abort.signal,
        ...(body !== undefined ? { body } : {}),
      }),
      hung,
    ]);
    text = await Promise.race([response.text(), hung]);
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, contentType, text, json, ms };
}

/** A short, printable description of a request (bodies cut to a few hundred characters). */
export function describeRequest(request: ApiRequest): string {
  const body =
    request.rawBody !== undefined
      ? typeof request.rawBody === 'string'
        ? request.rawBody
        : `<${request.rawBody.byteLength} raw bytes>`
      : request.body === undefined
        ? ''
        : JSON.stringify(request.body);
  const type = request.contentType === undefined ? '' : ` [content-type: ${request.contentType}]`;
  return `${request.method} ${urlOf(request).slice('http://keel.test'.length, 300)}${type} ${body.slice(0, 300)}`;
}
