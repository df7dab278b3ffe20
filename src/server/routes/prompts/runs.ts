/**
 * @module server/routes/prompts/runs
 * Rendering and running: `POST /api/v1/prompts/render`, `POST /api/v1/prompt-runs` (a stored
 * template by reference, or an inline one; `stream: true` for Server-Sent Events) and the
 * application-facing `POST /api/v1/prompts/{name@label}/run`. The history: search, read, and
 * restore a run into a draft. The history holds what the guardrail policy let through;
 * `reveal=true` asks for the sealed raw values, which only roles in the policy's `restoreRoles` get.
 */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type PromptRun,
  promptRunSchema,
  renderByRefRequestSchema,
  renderRequestSchema,
  renderResponseSchema,
  restoreRunRequestSchema,
  runByRefRequestSchema,
  runListSchema,
  runRequestSchema,
  runSearchQuerySchema,
  sessionSchema,
} from '../../../api/prompts.js';
import type { Caller, PromptLab } from '../../../prompts/prompt-lab.js';
import { runPrompt, streamPrompt } from '../../../prompts/prompt-runner.js';
import { redactHistory } from '../../../prompts/redact-history.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json, sse } from '../../respond.js';
import { errorResponses, idParam, projectHeader, promptParam, revealQuery, sseEvents } from './shared.js';

const tags = ['Prompt Lab'];
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const runResponses = {
  200: {
    description:
      'The recorded run; with `stream: true`, Server-Sent Events named start, delta, retry, result or error.',
    content: { 'application/json': { schema: promptRunSchema }, 'text/event-stream': { schema: z.string() } },
  },
  ...errorResponses,
} as const;

const routes = {
  render: createRoute({
    method: 'post',
    path: '/api/v1/prompts/render',
    tags,
    summary: 'Render a stored or inline template and count its tokens',
    request: { headers: projectHeader, ...body(renderRequestSchema) },
    responses: {
      200: {
        description: 'The prompt and its token budget',
        content: { 'application/json': { schema: renderResponseSchema } },
      },
      ...errorResponses,
    },
  }),
  renderRef: createRoute({
    method: 'post',
    path: '/api/v1/prompts/{prompt}/render',
    tags,
    summary: 'Render a stored template and count its tokens',
    request: { headers: projectHeader, params: promptParam, ...body(renderByRefRequestSchema) },
    responses: {
      200: {
        description: 'The prompt and its token budget',
        content: { 'application/json': { schema: renderResponseSchema } },
      },
      ...errorResponses,
    },
  }),
  run: createRoute({
    method: 'post',
    path: '/api/v1/prompt-runs',
    tags,
    summary: 'Run a stored (`prompt`) or inline (`template`) template',
    request: { headers: projectHeader, ...body(runRequestSchema) },
    responses: runResponses,
  }),
  runRef: createRoute({
    method: 'post',
    path: '/api/v1/prompts/{prompt}/run',
    tags,
    summary: 'Run a template by name, name@version or name@label',
    request: { headers: projectHeader, params: promptParam, ...body(runByRefRequestSchema) },
    responses: runResponses,
  }),
  search: createRoute({
    method: 'get',
    path: '/api/v1/prompt-runs',
    tags,
    summary: 'Search the run history',
    request: { headers: projectHeader, query: runSearchQuerySchema },
    responses: {
      200: { description: 'Runs, newest first', content: { 'application/json': { schema: runListSchema } } },
      ...errorResponses,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/prompt-runs/{id}',
    tags,
    summary: 'Read one run',
    request: { headers: projectHeader, params: idParam, query: revealQuery },
    responses: {
      200: { description: 'The run', content: { 'application/json': { schema: promptRunSchema } } },
      ...errorResponses,
    },
  }),
  redact: createRoute({
    method: 'post',
    path: '/api/v1/prompt-runs/redact',
    tags,
    summary: 'Mask runs and drafts stored before redaction under the policy that applies now (admins)',
    request: {
      headers: projectHeader,
      body: {
        required: false,
        content: {
          'application/json': {
            schema: z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'How many rows were masked; call again while `remaining` is true',
        content: {
          'application/json': {
            schema: z.object({ runs: z.number().int(), sessions: z.number().int(), remaining: z.boolean() }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  restore: createRoute({
    method: 'post',
    path: '/api/v1/prompt-runs/{id}/restore',
    tags,
    summary: 'Restore a run into a draft (a new session, or the given one)',
    request: {
      headers: projectHeader,
      params: idParam,
      body: { required: false, content: { 'application/json': { schema: restoreRunRequestSchema } } },
    },
    responses: {
      200: {
        description: 'The session holding the draft',
        content: { 'application/json': { schema: sessionSchema } },
      },
      ...errorResponses,
    },
  }),
};

type RunBody = z.infer<typeof runRequestSchema>;

/**
 * Runs as the caller may see them: masked, or with the sealed raw values for `reveal` by a role
 * the run's policy lets restore (`strict`: a run it may not is a 403, for one run read by id).
 */
export async function visibleRuns(
  lab: PromptLab,
  caller: Caller,
  runs: PromptRun[],
  reveal: boolean,
  strict = false,
): Promise<PromptRun[]> {
  if (!reveal) return runs;
  const sealed = await lab.runs.sealedOf(
    caller.projectId,
    runs.map((run) => run.id),
  );
  return lab.privacy.reveal(caller, runs, sealed, strict);
}

async function run(lab: PromptLab, caller: Caller, request: RunBody, endpoint: string): Promise<Response> {
  if (request.session_id)
    await lab.sessions.assertWritable(caller.projectId, caller.actor, request.session_id);
  const source = await lab.source(caller.projectId, request);
  const input = {
    source,
    variables: request.variables,
    model: request.model,
    parameters: request.parameters,
    sessionId: request.session_id,
  };
  if (request.stream) {
    const { events } = await streamPrompt(lab, { ...caller, endpoint }, input);
    return sse(sseEvents(events));
  }
  return json(await runPrompt(lab, { ...caller, endpoint }, input));
}

/** The draft that reproduces a run: its template with the model and parameters it ran with. */
export function draftOf(run: PromptRun) {
  return {
    template: { ...run.source, model_id: run.model, parameters: run.parameters },
    variables: run.variables,
    origin: {
      ...(run.template ? { template: run.template.name, version: run.template.version } : {}),
      run_id: run.id,
    },
  };
}

export function registerRunRoutes(app: OpenAPIHono<KeelEnv>, lab: PromptLab): void {
  app.openapi(routes.render, async (c) => json(await lab.render(callerOf(c, 'invoke'), c.req.valid('json'))));
  app.openapi(routes.renderRef, async (c) =>
    json(
      await lab.render(callerOf(c, 'invoke'), {
        ...c.req.valid('json'),
        prompt: c.req.valid('param').prompt,
      }),
    ),
  );
  app.openapi(
    routes.run,
    async (c) => run(lab, callerOf(c, 'invoke'), c.req.valid('json'), '/api/v1/prompt-runs') as never,
  );
  app.openapi(
    routes.runRef,
    async (c) =>
      run(
        lab,
        callerOf(c, 'invoke'),
        { ...c.req.valid('json'), prompt: c.req.valid('param').prompt },
        '/api/v1/prompts/run',
      ) as never,
  );
  app.openapi(routes.search, async (c) => {
    const caller = callerOf(c, 'read');
    const query = c.req.valid('query');
    const page = await lab.runs.search(caller.projectId, { ...query, sessionId: query.session_id });
    return json({ ...page, runs: await visibleRuns(lab, caller, page.runs, query.reveal === 'true') });
  });
  app.openapi(routes.get, async (c) => {
    const caller = callerOf(c, 'read');
    const run = await lab.runs.get(caller.projectId, c.req.valid('param').id);
    const reveal = c.req.valid('query').reveal === 'true';
    return json((await visibleRuns(lab, caller, [run], reveal, true))[0]!);
  });
  app.openapi(routes.redact, async (c) => {
    const caller = callerOf(c, 'manage');
    const limit = (c.req.valid('json') as { limit?: number } | undefined)?.limit;
    return json(await redactHistory(lab, caller.projectId, limit));
  });
  app.openapi(routes.restore, async (c) => {
    const caller = callerOf(c, 'write');
    const parsed = c.req.valid('json');
    // A role that may see the raw values gets them in the draft (sealed again there); others the masked ones.
    const stored = await lab.runs.get(caller.projectId, c.req.valid('param').id);
    const [run] = await visibleRuns(lab, caller, [stored], true);
    const draft = draftOf(run!);
    if (parsed.session_id)
      return json(await lab.sessions.save(caller.projectId, caller.actor, parsed.session_id, { draft }));
    const name =
      parsed.name ??
      `${stored.template ? `${stored.template.name}@${stored.template.version}` : 'Ad-hoc prompt'} · run ${stored.created_at.slice(0, 16).replace('T', ' ')}`;
    return json(await lab.sessions.create(caller.projectId, caller.actor, { name, draft }));
  });
}
