/**
 * @module server/app
 * The HTTP application: `createApp(services)` builds a Hono app: its own middleware and public
 * routes, then every module's routes (server/modules.ts). It holds no
 * state of its own, so tests call it in memory with `app.request()` and `keel serve` puts it on a
 * socket.
 *
 * @example
 * const app = createApp(services);
 * const res = await app.request('/v1/models', { headers: { authorization: `Bearer ${key}` } });
 */
import type { RequestListener } from 'node:http';
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { KeelError } from '../core/errors.js';
import { DATA_UPLOAD_LIMIT_BYTES } from '../data/index.js';
import { maxProjectFileBytes } from '../extraction/index.js';
import type { Principal } from '../platform/principal.js';
import { serveConsole } from './console.js';
import type { KeelEnv, KeelServices } from './context.js';
import { directLane } from './direct-lane.js';
import { errorResponse } from './errors.js';
import type { Lane } from './listen.js';
import { authenticate } from './middleware/authenticate.js';
import { rejectNulInUrl } from './middleware/nul-characters.js';
import { requestContext } from './middleware/request-context.js';
import { requestScope } from './middleware/request-scope.js';
import { routeBodyLimits } from './middleware/route-body-limits.js';
import { keelModules } from './modules.js';
import { registerOpenApi } from './openapi.js';
import { registerSignIn, signInRoute } from './routes/auth.js';
import { dataSourceUploadPath } from './routes/data/index.js';
import { dataQueryLane } from './routes/data/query-lane.js';
import { datasetUploadPath } from './routes/evals/datasets.js';
import { registerHealth, registerMetrics } from './routes/health.js';
import { chatCompletionsLane } from './routes/openai/chat-lane.js';
import { UPLOAD_LIMIT_BYTES, uploadPath } from './routes/rag/collections.js';
import { ADAPTER_UPLOAD_LIMIT_BYTES, adapterUploadPath } from './routes/tuning/adapters.js';
import { validationHook } from './validation-hook.js';

export interface CreateAppOptions {
  /**
   * Acts as this principal when a request carries no key. Only for the CLI's in-process app
   * (whoever can read the data directory is its administrator); never set on a listening server.
   */
  localPrincipal?: Principal;
  /** Directory of the built console (web/dist); omitted in API-only apps. */
  consoleDir?: string | undefined;
}

/** The calls the direct lane serves from `node:http` (server/direct-lane). */
const laneRoutes = [chatCompletionsLane, dataQueryLane];

export function createApp(
  services: KeelServices,
  options: CreateAppOptions = {},
): OpenAPIHono<KeelEnv> & { lane: Lane } {
  const app = new OpenAPIHono<KeelEnv>({
    defaultHook: validationHook,
  });

  app.use('*', requestContext(services.metrics));
  app.use('*', requestScope());
  app.onError((error, c) => errorResponse(c, error, services.logger));
  app.notFound((c) =>
    errorResponse(
      c,
      new KeelError('not_found', `No route for ${c.req.method} ${c.req.path}.`),
      services.logger,
    ),
  );
  if (services.config.server.corsOrigins.length) {
    app.use(
      '*',
      cors({
        origin: services.config.server.corsOrigins,
        allowHeaders: ['authorization', 'content-type', 'x-keel-project'],
        maxAge: 600,
      }),
    );
  }
  // Per-route body limits (document and dataset uploads carry files: their own, larger limits).
  app.use(
    '*',
    routeBodyLimits({
      ceiling: services.config.server.bodyLimit,
      uploads: [
        { path: uploadPath, limitBytes: UPLOAD_LIMIT_BYTES },
        { path: datasetUploadPath, limitBytes: services.evals.uploadLimitBytes },
        { path: dataSourceUploadPath, limitBytes: DATA_UPLOAD_LIMIT_BYTES },
        { path: adapterUploadPath, limitBytes: ADAPTER_UPLOAD_LIMIT_BYTES },
        { path: /^\/api\/v1\/files\/[^/]/, limitBytes: maxProjectFileBytes },
      ],
    }),
  );
  app.use('*', rejectNulInUrl());

  // Public: liveness, the API description, sign-in, the console's static files.
  registerHealth(app, services);
  registerOpenApi(app, services.version);
  registerSignIn(app, services);

  const auth = authenticate(services, { localPrincipal: options.localPrincipal });
  const signInPath = signInRoute.path;
  for (const prefix of ['/v1/*', '/ml/*', '/api/*', '/metrics', '/wx/*', '/v2/*', '/v1-beta/*']) {
    app.use(prefix, async (c, next) => (c.req.path === signInPath ? next() : auth(c, next)));
  }

  // Each module's routes, in the modules' order (server/modules.ts).
  for (const module of keelModules) module.routes?.(app, services);
  registerMetrics(app, services);

  serveConsole(app, options.consoleDir);
  // On a socket, the busiest model call skips the framework (server/direct-lane).
  return Object.assign(app, {
    lane: (listener: RequestListener) => directLane(services, listener, laneRoutes),
  });
}
