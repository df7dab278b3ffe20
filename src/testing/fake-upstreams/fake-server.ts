/**
 * @module testing/fake-upstreams/fake-server
 * The plumbing the fake upstream servers share: a real `node:http` server on 127.0.0.1 (random
 * port), request bodies parsed and recorded, injected failures (an HTTP error, a connection
 * dropped before or during the answer, an error event mid-stream, a slow first byte), and
 * streamed answers written frame by frame — or, with no delay configured, as one pre-joined
 * write, which is what the gateway benchmark measures against.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The JSON body parsed, a form body as an object of fields, other text as it is, or undefined. */
  body: unknown;
}

export type FakeFailure =
  /** Answer with this HTTP status and the upstream's error body (`message` goes in it). */
  | { kind: 'status'; status: number; message?: string; code?: string; retryAfter?: string }
  /** Close the connection after this many streamed frames (0: before any response). */
  | { kind: 'drop'; afterChunks: number }
  /** Send the upstream's in-stream error event after this many frames (streamed answers only). */
  | { kind: 'stream-error'; afterChunks: number; message?: string }
  /** Wait this long before answering. */
  | { kind: 'slow-first-byte'; delayMs: number };

export interface FakeUpstreamOptions {
  /** What the model answers. Default "Hello from the fake upstream server." */
  reply?: string;
  /**
   * Answers a prompt (the completion prompt, or the last user turn of a chat) instead of `reply`
   * when it returns a string: a model whose answer depends on what it was asked. OpenAI-compatible only.
   */
  answer?: (prompt: string) => string | undefined;
  /** Stream the answer in this many frames (by words, or characters when there are too few). Default: one per word. */
  chunks?: number;
  /** Pause between streamed frames, milliseconds. Default 0. */
  chunkDelayMs?: number;
  /** Pause before the response starts, milliseconds. Default 0. */
  firstByteDelayMs?: number;
  failure?: FakeFailure;
  /** Fail only the next N matching requests, then behave. Default: every one. */
  failureTimes?: number;
  /** Fail only requests whose path contains this. Default: every request but token and listing calls. */
  failurePath?: string;
  /**
   * Failures by model id: a request for one of these models fails this way (every time), so one
   * server can play every failure at once. The models count as served.
   */
  failingModels?: Record<string, FakeFailure>;
  /** Model ids served; others get the upstream's 404. */
  models?: string[];
  embeddingModels?: string[];
  rerankModels?: string[];
  /** Length of fake embeddings. Default 8. */
  embeddingDimensions?: number;
  /** Require this API key. */
  apiKey?: string;
  /** Record requests in `requests`. Default true (turn off for benchmarks). */
  record?: boolean;
}

export interface FakeUpstream {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Responses the client abandoned before they were complete (it cancelled the stream). */
  readonly abandoned: number;
  /** TCP connections accepted so far (keep-alive clients reuse theirs). */
  readonly connections: number;
  /** Changes the behaviour for the requests that follow; `undefined` restores an option's default. */
  configure(options: FakeUpstreamChanges): void;
  close(): Promise<void>;
}

/** Options to change; an `undefined` value removes the option. */
export type FakeUpstreamChanges<Options extends FakeUpstreamOptions = FakeUpstreamOptions> = {
  [Key in keyof Options]?: Options[Key] | undefined;
};

export interface FakeRequest extends RecordedRequest {
  raw: IncomingMessage;
}

export const defaultReply = 'Hello from the fake upstream server.';

export class FakeState<Options extends FakeUpstreamOptions = FakeUpstreamOptions> {
  options: Options;
  #failuresLeft: number | undefined;
  /** Cached serialised answers; dropped whenever the behaviour changes. */
  readonly cache = new Map<string, string[]>();

  constructor(options: Options) {
    this.options = { ...options };
    this.#failuresLeft = options.failureTimes;
  }

  configure(options: FakeUpstreamChanges<Options>): void {
    const next = { ...this.options } as Record<string, unknown>;
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.options = next as Options;
    this.#failuresLeft = this.options.failureTimes;
    this.cache.clear();
  }

  get reply(): string {
    return this.options.reply ?? defaultReply;
  }

  /** The answer to a prompt: `answer`'s when it gives one, else `reply`. */
  replyTo(prompt: string): string {
    return this.options.answer?.(prompt) ?? this.reply;
  }

  /** Whether `model` is one of the failing models. */
  failsModel(model: string): boolean {
    return this.options.failingModels !== undefined && Object.hasOwn(this.options.failingModels, model);
  }

  /** The failure to inject into this request, if any (and counts it). */
  failureFor(path: string, exempt: boolean, model?: string): FakeFailure | undefined {
    if (model !== undefined && this.failsModel(model)) return this.options.failingModels![model];
    const failure = this.options.failure;
    if (!failure) return undefined;
    if (this.options.failurePath ? !path.includes(this.options.failurePath) : exempt) return undefined;
    if (this.#failuresLeft !== undefined) {
      if (this.#failuresLeft <= 0) return undefined;
      this.#failuresLeft--;
    }
    return failure;
  }

  /** Serialised frames for a key, built once. */
  frames(key: string, build: () => string[]): string[] {
    let frames = this.cache.get(key);
    if (!frames) {
      if (this.cache.size > 256) this.cache.clear();
      frames = build();
      this.cache.set(key, frames);
    }
    return frames;
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeServer<Options extends FakeUpstreamOptions>(
  state: FakeState<Options>,
  handle: (request: FakeRequest, response: ServerResponse) => Promise<void> | void,
): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  let abandoned = 0;
  const server = createServer({ keepAliveTimeout: 30_000 }, (raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const url = raw.url ?? '/';
      const queryAt = url.indexOf('?');
      const path = queryAt === -1 ? url : url.slice(0, queryAt);
      const query = queryAt === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(queryAt + 1)));
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      const request: FakeRequest = {
        method: raw.method ?? 'GET',
        path,
        query,
        headers: raw.headers,
        body: parseBody(text, raw.headers['content-type']),
        raw,
      };
      if (state.options.record !== false) {
        const { raw: _raw, ...recorded } = request;
        requests.push(recorded);
      }
      response.on('close', () => {
        if (!response.writableFinished) abandoned++;
      });
      Promise.resolve(handle(request, response)).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, JSON.stringify({ error: String(error) }));
        else response.destroy();
      });
    });
  });
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get abandoned() {
      return abandoned;
    },
    get connections() {
      return connections;
    },
    configure: (options) => state.configure(options as FakeUpstreamChanges<Options>),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

export interface StreamPlan {
  contentType: string;
  frames: string[];
  /** The frame that reports an error in this wire format (for `stream-error`). */
  errorFrame: (message: string) => string;
}

/** Writes a streamed answer, honouring delays and injected stream failures. */
export async function sendStream(
  response: ServerResponse,
  state: FakeState,
  plan: StreamPlan,
  failure: FakeFailure | undefined,
): Promise<void> {
  const { chunkDelayMs = 0 } = state.options;
  const firstByteDelayMs =
    failure?.kind === 'slow-first-byte' ? failure.delayMs : (state.options.firstByteDelayMs ?? 0);
  if (firstByteDelayMs > 0) await sleep(firstByteDelayMs);
  if (response.destroyed) return;
  if (failure?.kind === 'drop' && failure.afterChunks <= 0) {
    response.socket?.destroy();
    return;
  }
  response.writeHead(200, {
    'content-type': plan.contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const { frames } = plan;
  if (chunkDelayMs === 0 && (!failure || failure.kind === 'slow-first-byte')) {
    response.end(frames.length === 1 ? frames[0] : frames.join(''));
    return;
  }
  // Streamed answers start now, before the first frame (as a model server's do).
  response.flushHeaders();
  for (let index = 0; index < frames.length; index++) {
    if (response.destroyed) return;
    if (
      failure &&
      (failure.kind === 'drop' || failure.kind === 'stream-error') &&
      index === failure.afterChunks
    ) {
      if (failure.kind === 'drop') {
        response.socket?.destroy();
        return;
      }
      if (failure.kind === 'stream-error') {
        response.end(
          plan.errorFrame(failure.message ?? 'The fake upstream failed in the middle of the answer.'),
        );
        return;
      }
    }
    if (index > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
    if (response.destroyed) return;
    // Wait until the frame is handed to the socket, so a failure that follows comes after it.
    await new Promise<void>((resolve) => response.write(frames[index], () => resolve()));
  }
  response.end();
}

/** Answers a non-streamed request, honouring the first-byte delay and a dropped connection. */
export async function sendBody(
  response: ServerResponse,
  state: FakeState,
  status: number,
  body: string,
  failure: FakeFailure | undefined,
): Promise<void> {
  const delayMs = failure?.kind === 'slow-first-byte' ? failure.delayMs : state.options.firstByteDelayMs;
  if (delayMs) await sleep(delayMs);
  if (response.destroyed) return;
  if (failure?.kind === 'drop') {
    response.socket?.destroy();
    return;
  }
  sendJson(response, status, body);
}

/** The bearer token or `api-key` header of a request. */
export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7);
  const apiKey = headers['api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}
