/**
 * @module server/routes/watsonx/prompt-sessions
 * watsonx prompt sessions on Keel's Prompt Lab sessions: a session id is a Keel session id, its
 * name and lock are the session's (Keel's lock rules apply: another user's lock is a 409
 * `locked`), its description and entries (saved prompts with their chat items) are kept in
 * `watsonx_assets`. Served under `/wx/v1/prompt_sessions` and `/v1/prompt_sessions`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { PromptSession } from '../../../api/prompts.js';
import {
  chatItemsSchema,
  lockRequestSchema,
  promptSessionEntryRequestSchema,
  promptSessionPatchSchema,
  promptSessionRequestSchema,
  watsonxAssetResponseSchema,
  watsonxContextQuery,
} from '../../../api/watsonx-prompts.js';
import { newId } from '../../../core/ids.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import type { ChatItem } from './prompt-dialect.js';
import { assetCaller, epochMs } from './prompts.js';
import { type AssetRow, WatsonxAssetStore } from './watsonx-asset-store.js';

const sessionParams = z.object({ session_id: z.string().min(1) });
const entryParams = z.object({ session_id: z.string().min(1), entry_id: z.string().min(1) });
const answer = {
  200: {
    description: 'watsonx answer',
    content: { 'application/json': { schema: watsonxAssetResponseSchema } },
  },
};
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

function lockJson(session: PromptSession) {
  return session.locked_by
    ? { locked: true, lock_type: 'edit', locked_by: session.locked_by }
    : { locked: false };
}

function entryJson(row: AssetRow) {
  return { ...row.data, id: row.id };
}

export function registerWatsonxPromptSessions(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const sessions = services.prompts.sessions;
  const assets = new WatsonxAssetStore(services.db, services.audit);

  const sessionJson = async (projectId: string, actor: string, id: string, withEntries: boolean) => {
    const session = await sessions.get(projectId, id, actor);
    const extra = await assets.get(projectId, 'session', id);
    return {
      id: session.id,
      name: session.name,
      ...(typeof extra?.data.description === 'string' ? { description: extra.data.description } : {}),
      created_at: epochMs(session.created_at),
      ...(session.created_by ? { created_by: session.created_by } : {}),
      last_updated_at: epochMs(session.updated_at),
      lock: lockJson(session),
      ...(withEntries ? { prompts: (await assets.entries(projectId, id, 500, 0)).map(entryJson) } : {}),
    };
  };

  for (const prefix of ['/wx/v1', '/v1']) {
    const base = `${prefix}/prompt_sessions`;
    const route = (
      method: 'get' | 'post' | 'patch' | 'put' | 'delete',
      path: string,
      summary: string,
      request: Record<string, unknown>,
      responses: Record<number, unknown> = answer,
    ) =>
      createRoute({
        method,
        path: `${base}${path}`,
        tags: ['watsonx.ai-compatible'],
        summary,
        request: request as never,
        responses: responses as never,
      });

    app.openapi(
      route(
        'post',
        '',
        'Create a prompt session (a Prompt Lab session)',
        { query: watsonxContextQuery, ...body(promptSessionRequestSchema) },
        { 201: answer[200] },
      ),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const input = c.req.valid('json' as never) as z.infer<typeof promptSessionRequestSchema>;
        const session = await sessions.create(caller.projectId, caller.actor, {
          name: input.name.slice(0, 200),
        });
        if (input.description !== undefined)
          await assets.put({
            id: session.id,
            kind: 'session',
            projectId: caller.projectId,
            data: { description: input.description },
            actor: caller.actor,
          });
        return json(await sessionJson(caller.projectId, caller.actor, session.id, false), 201);
      },
    );

    app.openapi(
      route('get', '/{session_id}', 'Get a prompt session', {
        params: sessionParams,
        query: watsonxContextQuery.extend({ prefetch: z.string().optional() }),
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        return json(
          await sessionJson(caller.projectId, caller.actor, session_id, c.req.query('prefetch') === 'true'),
        );
      },
    );

    app.openapi(
      route('patch', '/{session_id}', 'Update a prompt session', {
        params: sessionParams,
        query: watsonxContextQuery,
        ...body(promptSessionPatchSchema),
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        const input = c.req.valid('json' as never) as z.infer<typeof promptSessionPatchSchema>;
        if (input.name !== undefined)
          await sessions.save(caller.projectId, caller.actor, session_id, { name: input.name });
        else await sessions.assertWritable(caller.projectId, caller.actor, session_id);
        if (input.description !== undefined)
          await assets.put({
            id: session_id,
            kind: 'session',
            projectId: caller.projectId,
            data: { description: input.description },
            actor: caller.actor,
          });
        return json(await sessionJson(caller.projectId, caller.actor, session_id, false));
      },
    );

    app.openapi(
      route(
        'delete',
        '/{session_id}',
        'Delete a prompt session',
        { params: sessionParams, query: watsonxContextQuery },
        { 204: { description: 'Deleted' } },
      ),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        await sessions.delete(caller.projectId, caller.actor, session_id);
        return new Response(null, { status: 204 }) as never;
      },
    );

    app.openapi(
      route(
        'post',
        '/{session_id}/entries',
        'Add an entry (a saved prompt) to a prompt session',
        { params: sessionParams, query: watsonxContextQuery, ...body(promptSessionEntryRequestSchema) },
        { 201: answer[200] },
      ),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        const input = c.req.valid('json' as never) as z.infer<typeof promptSessionEntryRequestSchema>;
        await sessions.assertWritable(caller.projectId, caller.actor, session_id);
        const row = await assets.put({
          id: newId('pse'),
          kind: 'entry',
          projectId: caller.projectId,
          parentId: session_id,
          data: input as Record<string, unknown>,
          actor: caller.actor,
        });
        return json(entryJson(row), 201);
      },
    );

    app.openapi(
      route('get', '/{session_id}/entries', 'List the entries of a prompt session', {
        params: sessionParams,
        query: watsonxContextQuery.extend({
          bookmark: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        await sessions.get(caller.projectId, session_id, caller.actor);
        const limit = Number(c.req.query('limit') ?? 100);
        const bookmark = c.req.query('bookmark');
        const offset = bookmark && /^\d+$/.test(bookmark) ? Number(bookmark) : 0;
        const rows = await assets.entries(caller.projectId, session_id, limit + 1, offset);
        return json({
          results: rows.slice(0, limit).map((row) => ({
            id: row.id,
            name: row.data.name,
            ...(row.data.description !== undefined ? { description: row.data.description } : {}),
            created_at: row.data.created_at,
          })),
          ...(rows.length > limit ? { bookmark: String(offset + limit) } : {}),
        });
      },
    );

    app.openapi(
      route('get', '/{session_id}/entries/{entry_id}', 'Get an entry of a prompt session', {
        params: entryParams,
        query: watsonxContextQuery,
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        const { entry_id } = c.req.valid('param' as never) as { entry_id: string };
        return json(
          entryJson(await assets.require(caller.projectId, 'entry', entry_id, 'prompt session entry')),
        );
      },
    );

    app.openapi(
      route(
        'delete',
        '/{session_id}/entries/{entry_id}',
        'Delete an entry of a prompt session',
        { params: entryParams, query: watsonxContextQuery },
        { 204: { description: 'Deleted' } },
      ),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const { session_id, entry_id } = c.req.valid('param' as never) as {
          session_id: string;
          entry_id: string;
        };
        await sessions.assertWritable(caller.projectId, caller.actor, session_id);
        await assets.require(caller.projectId, 'entry', entry_id, 'prompt session entry');
        await assets.delete(caller.projectId, 'entry', entry_id);
        return new Response(null, { status: 204 }) as never;
      },
    );

    app.openapi(
      route(
        'post',
        '/{session_id}/entries/{entry_id}/chat_items',
        'Add chat items to an entry of a prompt session',
        { params: entryParams, query: watsonxContextQuery, ...body(chatItemsSchema) },
        { 204: { description: 'Added' } },
      ),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const { session_id, entry_id } = c.req.valid('param' as never) as {
          session_id: string;
          entry_id: string;
        };
        await sessions.assertWritable(caller.projectId, caller.actor, session_id);
        const row = await assets.require(caller.projectId, 'entry', entry_id, 'prompt session entry');
        const prompt = (row.data.prompt ?? {}) as { chat_items?: ChatItem[] };
        const items = c.req.valid('json' as never) as ChatItem[];
        await assets.put({
          id: entry_id,
          kind: 'entry',
          projectId: caller.projectId,
          data: { prompt: { ...prompt, chat_items: [...(prompt.chat_items ?? []), ...items] } },
          actor: caller.actor,
        });
        return new Response(null, { status: 204 }) as never;
      },
    );

    app.openapi(
      route('put', '/{session_id}/lock', 'Lock or unlock a prompt session', {
        params: sessionParams,
        query: watsonxContextQuery.extend({ force: z.string().optional() }),
        ...body(lockRequestSchema),
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        const input = c.req.valid('json' as never) as z.infer<typeof lockRequestSchema>;
        const force = c.req.query('force') === 'true';
        if (force) projectScope(c, 'manage', caller.projectId);
        const session = input.locked
          ? await sessions.lock(caller.projectId, caller.actor, session_id)
          : await sessions.unlock(caller.projectId, caller.actor, session_id, force);
        return json(lockJson(session));
      },
    );

    app.openapi(
      route('get', '/{session_id}/lock', 'Get the lock of a prompt session', {
        params: sessionParams,
        query: watsonxContextQuery,
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        const { session_id } = c.req.valid('param' as never) as { session_id: string };
        return json(lockJson(await sessions.get(caller.projectId, session_id, caller.actor)));
      },
    );
  }
}
