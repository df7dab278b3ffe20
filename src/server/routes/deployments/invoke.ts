/**
 * @module server/routes/deployments/invoke
 * `POST /api/v1/deployments/{id}/invoke`: runs a deployment with its variables — the same run as
 * Prompt Lab's (render, guardrails, generation, run history), or the collection's ask. The
 * `X-Keel-Deployment-Version` header (and `version` in the body) says which version served; with
 * `stream: true` the answer arrives as Prompt Lab's (or RAG ask's) Server-Sent Events. The
 * request's `attributes` (a protected attribute) go into the monitoring log for fairness monitors.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { invokeRequestSchema, invokeResponseSchema } from '../../../api/deployments.js';
import { invokeJson, VERSION_HEADER } from '../../../deployments/index.js';
import { withCallAttributes } from '../../../deployments/ledger/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json, sse } from '../../respond.js';
import { sseEvents } from '../prompts/shared.js';
import { deploymentErrors } from './spaces.js';

const invokeRoute = createRoute({
  method: 'post',
  path: '/api/v1/deployments/{id}/invoke',
  tags: ['Deployments'],
  summary: 'Run a deployment with its variables',
  request: {
    params: z.object({ id: z.string().min(1).max(200).describe('id, serving name or name') }),
    body: { required: true, content: { 'application/json': { schema: invokeRequestSchema } } },
  },
  responses: {
    200: {
      description: 'The output and the version that served; with `stream: true`, Server-Sent Events',
      content: {
        'application/json': { schema: invokeResponseSchema },
        'text/event-stream': { schema: z.string() },
      },
    },
    ...deploymentErrors,
  },
});

export function registerInvokeRoute(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(invokeRoute, async (c) => {
    const caller = callerOf(c, 'invoke');
    const request = c.req.valid('json');
    const input = {
      variables: request.variables,
      parameters: request.parameters,
      requestId: c.get('requestId'),
      endpoint: '/api/v1/deployments/invoke',
    };
    const id = c.req.valid('param').id;
    if (request.stream) {
      const started = await withCallAttributes(request.attributes, () =>
        services.deployments.stream(caller, id, input),
      );
      const events = started.events as AsyncGenerator<{ type: string }>;
      return sse(sseEvents(events), { [VERSION_HEADER]: String(started.served.version.version) });
    }
    const result = await withCallAttributes(request.attributes, () =>
      services.deployments.invoke(caller, id, input),
    );
    return json(invokeJson(result), 200, { [VERSION_HEADER]: String(result.served.version.version) });
  });
}
