/**
 * @module models/providers/shared/http-client
 * The HTTP client the remote providers share: undici's dispatcher API over a keep-alive agent, the
 * origin and paths worked out once per provider, header objects reused between calls, and no
 * buffering of streamed bodies — the gateway's budget is half a millisecond per call. Non-2xx
 * answers and network failures become KeelErrors here, once; a 401 makes a refreshable credential
 * (an IAM token) renew itself and the call is sent again, once.
 */
import { Agent, type Dispatcher } from 'undici';
import { KeelError } from '../../../core/errors.js';
import {
  type CallSubject,
  errorFromResponse,
  errorFromTransport,
  type UpstreamContext,
} from './upstream-errors.js';

export interface AuthSource {
  /** The auth header's value for the next call; may fetch a token first. */
  authorization(signal?: AbortSignal): string | undefined | Promise<string | undefined>;
  /** The upstream answered 401: drop the cached credential. Returns true when a retry may succeed. */
  invalidate?(): boolean;
}

export interface HttpClientOptions {
  context: UpstreamContext;
  /** Origin plus an optional base path; request paths are appended to it. */
  baseURL: string;
  /** Headers sent on every call (from keel.yaml `headers`). */
  headers?: Record<string, string>;
  /** The header credentials go in; `authorization` unless the API wants another (Azure: `api-key`). */
  authHeader?: string;
  auth?: AuthSource;
  /** An undici dispatcher (an Agent, a ProxyAgent, a MockAgent); by default a keep-alive Agent of its own. */
  dispatcher?: Dispatcher;
  /** Longest wait for the response headers and between body chunks, milliseconds. */
  timeoutMs: number;
}

export interface CallOptions extends CallSubject {
  signal?: AbortSignal | undefined;
}

export type ResponseBody = Dispatcher.ResponseData['body'];

/** Credentials from a static API key. */
export function staticAuth(value: string | undefined): AuthSource | undefined {
  return value === undefined ? undefined : { authorization: () => value };
}

export class HttpClient {
  readonly context: UpstreamContext;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #auth: AuthSource | undefined;
  readonly #authHeader: string;
  readonly #timeoutMs: number;
  readonly #staticHeaders: Record<string, string>;
  // Header objects are rebuilt only when the credential changes.
  #lastCredential: string | undefined;
  #jsonHeaders: Record<string, string>;
  #streamHeaders: Record<string, string>;
  #getHeaders: Record<string, string>;

  constructor(options: HttpClientOptions) {
    this.context = options.context;
    const url = new URL(options.baseURL);
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
    this.#auth = options.auth;
    this.#authHeader = (options.authHeader ?? 'authorization').toLowerCase();
    this.#timeoutMs = options.timeoutMs;
    this.#staticHeaders = {};
    for (const [name, value] of Object.entries(options.headers ?? {}))
      this.#staticHeaders[name.toLowerCase()] = value;
    this.#jsonHeaders = this.#headers('application/json', true, undefined);
    this.#streamHeaders = this.#headers('text/event-stream, application/x-ndjson', true, undefined);
    this.#getHeaders = this.#headers('application/json', false, undefined);
  }

  /** The base path joined with `path`, for building request paths once. */
  path(path: string, query?: Record<string, string>): string {
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.#basePath}${path}${search}`;
  }

  async getJson<T>(path: string, options: CallOptions = {}): Promise<T> {
    const response = await this.#send('GET', path, undefined, 'get', options);
    return this.#readJson<T>(response.body, options);
  }

  postJson<T>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return this.requestJson<T>('POST', path, body, options);
  }

  /** Sends a JSON body with another method than POST (an `http` provider's PUT or PATCH). */
  async requestJson<T>(
    method: 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    options: CallOptions = {},
  ): Promise<T> {
    const response = await this.#send(method, path, JSON.stringify(body), 'json', options);
    return this.#readJson<T>(response.body, options);
  }

  /** Sends a streaming request; resolves once the headers say 2xx, with the body unread. */
  async postStream(path: string, body: unknown, options: CallOptions = {}): Promise<ResponseBody> {
    const response = await this.#send('POST', path, JSON.stringify(body), 'stream', options);
    return response.body;
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.destroy();
  }

  #headers(accept: string, withBody: boolean, credential: string | undefined): Record<string, string> {
    return {
      ...this.#staticHeaders,
      accept,
      ...(withBody ? { 'content-type': 'application/json' } : {}),
      ...(credential !== undefined ? { [this.#authHeader]: credential } : {}),
    };
  }

  async #send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: string | undefined,
    kind: 'get' | 'json' | 'stream',
    options: CallOptions,
    retried = false,
  ): Promise<Dispatcher.ResponseData> {
    const { signal } = options;
    let response: Dispatcher.ResponseData;
    try {
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      const credential = this.#auth ? await this.#auth.authorization(signal) : undefined;
      if (credential !== this.#lastCredential) {
        this.#lastCredential = credential;
        this.#jsonHeaders = this.#headers('application/json', true, credential);
        this.#streamHeaders = this.#headers('text/event-stream, application/x-ndjson', true, credential);
        this.#getHeaders = this.#headers('application/json', false, credential);
      }
      response = await this.#dispatcher.request({
        origin: this.#origin,
        path,
        method,
        headers:
          kind === 'json' ? this.#jsonHeaders : kind === 'stream' ? this.#streamHeaders : this.#getHeaders,
        body: body ?? null,
        signal: signal ?? null,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
    } catch (error) {
      throw errorFromTransport(error, this.context, signal);
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) return response;
    let text = '';
    try {
      text = await response.body.text();
    } catch (error) {
      throw errorFromTransport(error, this.context, signal);
    }
    if (status === 401 && !retried && this.#auth?.invalidate?.()) {
      return this.#send(method, path, body, kind, options, true);
    }
    const retryAfter = response.headers['retry-after'];
    throw errorFromResponse(
      status,
      text,
      this.context,
      options,
      typeof retryAfter === 'string' ? retryAfter : undefined,
    );
  }

  async #readJson<T>(body: ResponseBody, options: CallOptions): Promise<T> {
    let text: string;
    try {
      text = await body.text();
    } catch (error) {
      throw errorFromTransport(error, this.context, options.signal, 'stream');
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KeelError(
        'upstream_error',
        `Provider "${this.context.provider}" (${this.context.displayURL}) answered with something that is not JSON: ${text.slice(0, 200)}`,
        { data: { provider: this.context.provider } },
      );
    }
  }
}
