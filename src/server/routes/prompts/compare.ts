/**
 * @module server/routes/prompts/compare
 * `POST /api/v1/compare`: prompt variants × models over inputs, side by side; with `stream: true`
 * each cell is sent as it completes (Server-Sent Events), which is how the CLI and the console
 * show progress.
 */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { compareRequestSchema, compareResultSchema } from '../../../api/prompts.js';
import { compareEvents, planCompare } from '../../../prompts/compare.js';
import type { PromptLab } from '../../../prompts/prompt-lab.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json, sse } from '../../respond.js';
import { errorResponses, projectHeader, sseEvents } from './shared.js';

const route = createRoute({
  method: 'post',
  path: '/api/v1/compare',
  tags: ['Prompt Lab'],
  summary: 'Compare prompt variants and models over inputs',
  request: {
    headers: projectHeader,
    body: { required: true, content: { 'application/json': { schema: compareRequestSchema } } },
  },
  responses: {
    200: {
      description:
        'Outputs side by side with tokens, latency and cost; with `stream: true`, events start, cell, result or error.',
      content: {
        'application/json': { schema: compareResultSchema },
        'text/event-stream': { schema: z.string() },
      },
    },
    ...errorResponses,
  },
});

export function registerCompareRoutes(app: OpenAPIHono<KeelEnv>, lab: PromptLab): void {
  app.openapi(route, async (c) => {
    const caller = callerOf(c, 'invoke');
    const request = c.req.valid('json');
    const plan = await planCompare(lab, caller, request);
    if (request.stream) return sse(sseEvents(compareEvents(plan)));
    return json(await plan.run());
  });
}
