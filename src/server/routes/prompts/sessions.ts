/**
 * @module server/routes/prompts/sessions
 * `/api/v1/prompt-sessions`: working drafts with their run history. Saving, deleting and running
 * into a session locked by another editor answers 409 `locked`; project admins may force a lock
 * open. Drafts and runs are read masked as the guardrail policy stored them; `reveal=true` gives
 * a role in the policy's `restoreRoles` the raw values.
 */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createSessionRequestSchema,
  runListSchema,
  runSearchQuerySchema,
  saveSessionRequestSchema,
  sessionSchema,
} from '../../../api/prompts.js';
import { KeelError } from '../../../core/errors.js';
import type { PromptLab } from '../../../prompts/prompt-lab.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { visibleRuns } from './runs.js';
import { errorResponses, idParam, projectHeader, revealQuery } from './shared.js';

const tags = ['Prompt Lab'];
const session = { description: 'The session', content: { 'application/json': { schema: sessionSchema } } };
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/prompt-sessions',
    tags,
    summary: 'List prompt sessions',
    request: { headers: projectHeader },
    responses: {
      200: {
        description: 'Sessions',
        content: { 'application/json': { schema: z.object({ sessions: z.array(sessionSchema) }) } },
      },
      ...errorResponses,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/prompt-sessions',
    tags,
    summary: 'Create a prompt session',
    request: { headers: projectHeader, ...body(createSessionRequestSchema) },
    responses: { 201: session, ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/prompt-sessions/{id}',
    tags,
    summary: 'Read a prompt session',
    request: { headers: projectHeader, params: idParam, query: revealQuery },
    responses: { 200: session, ...errorResponses },
  }),
  save: createRoute({
    method: 'put',
    path: '/api/v1/prompt-sessions/{id}',
    tags,
    summary: 'Save a session’s name or draft',
    request: { headers: projectHeader, params: idParam, ...body(saveSessionRequestSchema) },
    responses: { 200: session, ...errorResponses },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/prompt-sessions/{id}',
    tags,
    summary: 'Delete a session (its runs stay in the history)',
    request: { headers: projectHeader, params: idParam },
    responses: { 200: session, ...errorResponses },
  }),
  lock: createRoute({
    method: 'post',
    path: '/api/v1/prompt-sessions/{id}/lock',
    tags,
    summary: 'Lock a session for the caller',
    request: { headers: projectHeader, params: idParam },
    responses: { 200: session, ...errorResponses },
  }),
  unlock: createRoute({
    method: 'delete',
    path: '/api/v1/prompt-sessions/{id}/lock',
    tags,
    summary: 'Release a session lock',
    request: {
      headers: projectHeader,
      params: idParam,
      query: z.object({ force: z.enum(['true', 'false']).optional() }),
    },
    responses: { 200: session, ...errorResponses },
  }),
  runs: createRoute({
    method: 'get',
    path: '/api/v1/prompt-sessions/{id}/runs',
    tags,
    summary: 'Runs recorded in a session',
    request: {
      headers: projectHeader,
      params: idParam,
      query: runSearchQuerySchema.omit({ session_id: true }),
    },
    responses: {
      200: { description: 'Runs, newest first', content: { 'application/json': { schema: runListSchema } } },
      ...errorResponses,
    },
  }),
};

export function registerSessionRoutes(app: OpenAPIHono<KeelEnv>, lab: PromptLab): void {
  app.openapi(routes.list, async (c) => {
    const caller = callerOf(c, 'read');
    return json({ sessions: await lab.sessions.list(caller.projectId, caller.actor) });
  });
  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    return json(await lab.sessions.create(caller.projectId, caller.actor, c.req.valid('json')), 201);
  });
  app.openapi(routes.get, async (c) => {
    const caller = callerOf(c, 'read');
    const id = c.req.valid('param').id;
    const session = await lab.sessions.get(caller.projectId, id, caller.actor);
    if (c.req.valid('query').reveal !== 'true') return json(session);
    const stored = await lab.sessions.sealedDraft(caller.projectId, id);
    return json({ ...session, draft: await lab.privacy.revealDraft(caller, { id, ...stored }) });
  });
  app.openapi(routes.save, async (c) => {
    const caller = callerOf(c, 'write');
    const input = c.req.valid('json');
    return json(
      await lab.sessions.save(caller.projectId, caller.actor, c.req.valid('param').id, {
        name: input.name,
        draft: input.draft,
        baseRevision: input.base_revision,
      }),
    );
  });
  app.openapi(routes.delete, async (c) => {
    const caller = callerOf(c, 'write');
    return json(await lab.sessions.delete(caller.projectId, caller.actor, c.req.valid('param').id));
  });
  app.openapi(routes.lock, async (c) => {
    const caller = callerOf(c, 'write');
    return json(await lab.sessions.lock(caller.projectId, caller.actor!, c.req.valid('param').id));
  });
  app.openapi(routes.unlock, async (c) => {
    const caller = callerOf(c, 'write');
    const force = c.req.valid('query').force === 'true';
    if (force && caller.role !== 'admin') {
      throw new KeelError('forbidden', 'Only a project admin can release another editor’s lock.', {
        data: { role: caller.role },
      });
    }
    return json(await lab.sessions.unlock(caller.projectId, caller.actor!, c.req.valid('param').id, force));
  });
  app.openapi(routes.runs, async (c) => {
    const caller = callerOf(c, 'read');
    const id = c.req.valid('param').id;
    await lab.sessions.get(caller.projectId, id, caller.actor);
    const query = c.req.valid('query');
    const page = await lab.runs.search(caller.projectId, { ...query, sessionId: id });
    return json({ ...page, runs: await visibleRuns(lab, caller, page.runs, query.reveal === 'true') });
  });
}
