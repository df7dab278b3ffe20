/**
 * @module server/direct-lane
 * The busiest calls served straight from `node:http` in front of the Hono app (decision 0052):
 * `POST /v1/chat/completions` (routes/openai/chat-lane) and `POST /api/v1/data/query`
 * (routes/data/query-lane). Each call itself is the route's: the same key cache, project
 * authorisation, body schema and validation hook, services, response body and error bodies. What
 * the lane leaves out is the framework around them: the WHATWG Request and Response objects, the
 * middleware chain and the router, which cost more than everything Keel does for the call.
 *
 * The lane takes only requests it can serve without asking: an exact path, a JSON content type,
 * a declared length within the route's body limit (the app's, `bodyLimitFor`), a key, no CORS preflight concerns. Anything
 * else — and any request that turns out unusual once its body is read (invalid JSON or schema,
 * an unknown key, whatever the route's `parse` declines) — goes to the Hono app with the body
 * already read, so every refusal before the work is the route's own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../platform/principal.js';
import type { ErrorFormat, KeelServices } from './context.js';
import { errorReply } from './errors.js';
import { bearerToken } from './middleware/authenticate.js';
import { httpFigures, requestIdFrom } from './middleware/request-context.js';
import { bodyLimitFor } from './middleware/route-body-limits.js';
import { apiSecurityHeaders } from './middleware/security-headers.js';
import { eventBatches, sseHeaders } from './respond.js';
import { validationHook } from './validation-hook.js';

/** Serves the request and returns true, or returns false and leaves it to the app. */
export type DirectLane = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/** What a lane route answers: a JSON body (with extra headers), or a stream of SSE events. */
export type LaneAnswer =
  | { body: unknown; headers?: Record<string, string> | undefined }
  | { events: AsyncGenerator<string> };

/** One request the lane serves, as a lane route sees it. */
export interface LaneCall<Body> {
  services: KeelServices;
  incoming: IncomingMessage;
  outgoing: ServerResponse;
  principal: Principal;
  body: Body;
  /** The request's id (the caller's `x-request-id` or a new one), for what the call records. */
  requestId: string;
}

/** A route the lane may serve; everything it does is the Hono route's own functions. */
export interface LaneRoute<Body> {
  path: string;
  /** The error dialect of the route's clients. */
  format: ErrorFormat;
  /** The body as the route's schema reads it, or undefined to leave the request to the app. */
  parse(json: unknown): Body | undefined;
  answer(call: LaneCall<Body>): Promise<LaneAnswer>;
}

/** A request the lane read and handed on: the app reads `rawBody` instead of the socket. */
type HandedOn = IncomingMessage & { rawBody?: Buffer };

const jsonHeaders = { ...apiSecurityHeaders, 'content-type': 'application/json; charset=utf-8' };

export function directLane(
  services: KeelServices,
  app: (incoming: IncomingMessage, outgoing: ServerResponse) => unknown,
  // biome-ignore lint/suspicious/noExplicitAny: each route reads its own body type.
  routes: readonly LaneRoute<any>[],
): DirectLane {
  const ceiling = services.config.server.bodyLimit;
  const byPath = new Map(
    routes.map((route) => [route.path, { route, limit: bodyLimitFor(route.path, ceiling) }]),
  );
  const cors = services.config.server.corsOrigins.length > 0;
  const observe = httpFigures(services.metrics);
  const served = services.metrics.directLane.labels('served');
  const handedOn = services.metrics.directLane.labels('handed_on');

  async function serve<Body>(
    route: LaneRoute<Body>,
    incoming: HandedOn,
    outgoing: ServerResponse,
    secret: string,
  ): Promise<void> {
    const started = performance.now();
    const raw = await readBody(incoming);
    if (raw === undefined) return; // the client went away mid-body
    const body = usableBody(route, raw);
    const principal = body ? await services.keys.authenticate(secret).catch(() => null) : null;
    if (!principal || !body) {
      incoming.rawBody = raw;
      handedOn.inc();
      app(incoming, outgoing);
      return;
    }
    served.inc();
    const requestId = requestIdFrom(header(incoming, 'x-request-id'));
    let status = 200;
    try {
      // No request scope (core/request-scope): what a lane call records names its caller itself,
      // and calls made without one pay no promise hooks.
      const answered = await route.answer({
        services,
        incoming,
        outgoing,
        principal,
        body: body.value,
        requestId,
      });
      if ('events' in answered) {
        // The head goes out now: the metrics count the time to it, as for the route.
        outgoing.writeHead(200, { ...sseHeaders, 'x-request-id': requestId });
        void pump(answered.events, outgoing);
      } else {
        write(outgoing, 200, requestId, JSON.stringify(answered.body), answered.headers);
      }
    } catch (error) {
      const reply = errorReply(error, route.format, requestId, services.logger, route.path);
      status = reply.status;
      // Error bodies carry no charset, as the app's `c.json` writes them.
      write(outgoing, status, requestId, JSON.stringify(reply.body), {
        ...reply.headers,
        'content-type': 'application/json',
      });
    }
    observe('POST', route.path, status, (performance.now() - started) / 1000);
  }

  return (incoming, outgoing) => {
    if (incoming.method !== 'POST') return false;
    const entry = byPath.get(incoming.url ?? '');
    if (!entry) return false;
    const headers = incoming.headers;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= entry.limit) || headers['transfer-encoding'] !== undefined) return false;
    if (!isJsonType(headers['content-type']) || (cors && headers.origin !== undefined)) return false;
    const secret =
      bearerToken(headers.authorization) ?? header(incoming, 'api-key') ?? header(incoming, 'x-api-key');
    if (!secret) return false;
    serve(entry.route, incoming, outgoing, secret).catch((error: unknown) => {
      services.logger.error({ err: error, route: entry.route.path }, 'direct lane failed');
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end();
    });
    return true;
  };
}

/**
 * The body as the route validates it (its schema, then the validation hook every route runs),
 * or undefined for anything the app should answer.
 */
function usableBody<Body>(route: LaneRoute<Body>, raw: Buffer): { value: Body } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const value = route.parse(json);
  if (value === undefined) return undefined;
  try {
    validationHook({ success: true, data: value, target: 'json' } as Parameters<typeof validationHook>[0]);
  } catch {
    return undefined;
  }
  return { value };
}

/**
 * Writes a stream's events as they come, a batch per write, waiting for the socket to drain. A
 * client that goes away returns the events, which cancels the model call behind them.
 */
async function pump(events: AsyncGenerator<string>, outgoing: ServerResponse): Promise<void> {
  const batches = eventBatches(events);
  const gone = () => {
    if (!outgoing.writableFinished) void batches.return(undefined);
  };
  outgoing.once('close', gone);
  try {
    for await (const batch of batches) {
      if (outgoing.destroyed) break;
      if (!outgoing.write(batch)) await drained(outgoing);
    }
    outgoing.end();
  } catch (error) {
    outgoing.destroy(error as Error);
  } finally {
    outgoing.off('close', gone);
  }
}

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.once('drain', done);
    outgoing.once('close', done);
  });
}

function readBody(incoming: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    incoming.once('error', () => resolve(undefined));
    incoming.once('aborted', () => resolve(undefined));
  });
}

function write(
  outgoing: ServerResponse,
  status: number,
  requestId: string,
  text: string,
  headers: Record<string, string> | undefined,
): void {
  if (outgoing.destroyed) return;
  outgoing.writeHead(status, {
    ...jsonHeaders,
    ...headers,
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(text),
  });
  outgoing.end(text);
}

/** One request header's value (the first, when repeated). */
export function header(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isJsonType(type: string | undefined): boolean {
  if (!type) return false;
  const semicolon = type.indexOf(';');
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}
