/**
 * @module server/direct-lane
 * The gateway's busiest call, `POST /v1/chat/completions` answered as JSON, served straight from
 * `node:http` in front of the Hono app (decision 0050). The call itself is the same: the same key
 * cache, project authorisation, body schema and validation hook, guardrail policy, generation
 * service with its model-call middleware (metering, limits, tracing …), response builder and
 * error bodies as the route in `routes/openai/chat-completions`. What the lane leaves out is the
 * framework around them: the WHATWG Request and Response objects, the middleware chain and the
 * router, which cost more than everything Keel does for the call.
 *
 * The lane takes only requests it can serve without asking: the exact path, a JSON content type,
 * a declared length within the route's body limit, a key, no CORS preflight concerns. Anything
 * else — and any request that turns out unusual once its body is read (invalid JSON or schema, a
 * deployment, an unknown key) — goes to the Hono app with the body already read, so
 * every refusal is the route's own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatCompletionRequestSchema } from '../api/openai.js';
import { runInRequestScope } from '../core/request-scope.js';
import type { Principal } from '../platform/principal.js';
import type { KeelServices } from './context.js';
import { errorReply } from './errors.js';
import { bearerToken } from './middleware/authenticate.js';
import { httpFigures, requestIdFrom } from './middleware/request-context.js';
import { actorOf } from './middleware/request-scope.js';
import { MODEL_INPUT_LIMIT_BYTES } from './middleware/route-body-limits.js';
import { apiSecurityHeaders } from './middleware/security-headers.js';
import { scopeOf } from './project-scope.js';
import { closeSignal } from './request-signal.js';
import { eventBatches, sseHeaders } from './respond.js';
import { isDeploymentModel } from './routes/deployments/openai-deployment.js';
import { chatCall, chatChunks, chatCompletion } from './routes/openai/chat-completions.js';
import { validationHook } from './validation-hook.js';

/** Serves the request and returns true, or returns false and leaves it to the app. */
export type DirectLane = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/** A request the lane read and handed on: the app reads `rawBody` instead of the socket. */
type HandedOn = IncomingMessage & { rawBody?: Buffer };

const route = '/v1/chat/completions';
const jsonHeaders = { ...apiSecurityHeaders, 'content-type': 'application/json; charset=utf-8' };

export function directLane(
  services: KeelServices,
  app: (incoming: IncomingMessage, outgoing: ServerResponse) => unknown,
): DirectLane {
  const limit = Math.min(MODEL_INPUT_LIMIT_BYTES, services.config.server.bodyLimit);
  const cors = services.config.server.corsOrigins.length > 0;
  const observe = httpFigures(services.metrics);
  const served = services.metrics.directLane.labels('served');
  const handedOn = services.metrics.directLane.labels('handed_on');

  async function serve(incoming: HandedOn, outgoing: ServerResponse, secret: string): Promise<void> {
    const started = performance.now();
    const body = await readBody(incoming);
    if (body === undefined) return; // the client went away mid-body
    const parsed = usableBody(body);
    const principal = parsed ? await services.keys.authenticate(secret).catch(() => null) : null;
    if (!principal || !parsed) {
      incoming.rawBody = body;
      handedOn.inc();
      app(incoming, outgoing);
      return;
    }
    served.inc();
    const requestId = requestIdFrom(header(incoming, 'x-request-id'));
    let status = 200;
    try {
      const answered = await runInRequestScope(
        {
          requestId,
          address: incoming.socket.remoteAddress ?? null,
          actor: (projectId) => actorOf(principal, projectId),
        },
        () => answer(incoming, outgoing, principal, parsed),
      );
      if ('events' in answered) {
        // The head goes out now: the metrics count the time to it, as for the route.
        outgoing.writeHead(200, { ...sseHeaders, 'x-request-id': requestId });
        void pump(answered.events, outgoing);
      } else {
        write(outgoing, 200, requestId, JSON.stringify(answered.body), answered.headers);
      }
    } catch (error) {
      const reply = errorReply(error, 'openai', requestId, services.logger, route);
      status = reply.status;
      // Error bodies carry no charset, as the app's `c.json` writes them.
      write(outgoing, status, requestId, JSON.stringify(reply.body), {
        ...reply.headers,
        'content-type': 'application/json',
      });
    }
    observe('POST', route, status, (performance.now() - started) / 1000);
  }

  async function answer(
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    principal: Principal,
    body: ReturnType<typeof usableBody> & object,
  ) {
    const scope = scopeOf(principal, 'invoke', header(incoming, 'x-keel-project'));
    const call = await chatCall(
      services,
      body,
      scope,
      closeSignal(outgoing),
      header(incoming, 'x-keel-guardrail-policy'),
    );
    if (body.stream)
      return { events: await chatChunks(services, body, call.request, call.warnings, call.context) };
    return chatCompletion(services, body, call.request, call.warnings, call.context);
  }

  return (incoming, outgoing) => {
    if (incoming.method !== 'POST' || incoming.url !== route) return false;
    const headers = incoming.headers;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= limit) || headers['transfer-encoding'] !== undefined) return false;
    if (!isJsonType(headers['content-type']) || (cors && headers.origin !== undefined)) return false;
    const secret =
      bearerToken(headers.authorization) ?? header(incoming, 'api-key') ?? header(incoming, 'x-api-key');
    if (!secret) return false;
    serve(incoming, outgoing, secret).catch((error: unknown) => {
      services.logger.error({ err: error, route }, 'direct lane failed');
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end();
    });
    return true;
  };
}

/** The body as the route validates it, or undefined for anything the app should answer. */
function usableBody(raw: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const result = chatCompletionRequestSchema.safeParse(json);
  if (!result.success || isDeploymentModel(result.data.model)) return undefined;
  try {
    validationHook({ success: true, data: result.data, target: 'json' } as Parameters<
      typeof validationHook
    >[0]);
  } catch {
    return undefined;
  }
  return result.data;
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

function header(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isJsonType(type: string | undefined): boolean {
  if (!type) return false;
  const semicolon = type.indexOf(';');
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}
