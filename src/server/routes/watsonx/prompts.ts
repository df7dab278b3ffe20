/**
 * @module server/routes/watsonx/prompts
 * watsonx prompt assets on Keel's templates (one store, two dialects): a prompt id is a template
 * id; its name is the template's title (the Keel name is a slug of it); a create is a template
 * with version 1, an update a new version. What Keel's template has no place for (input mode,
 * chat items, model version, task ids, the lock) is kept in `watsonx_assets`. Served under
 * `/wx/v1/prompts` (where the SDK sends them) and `/v1/prompts`; the search under
 * `/v2/asset_types/wx_prompt/search`. A prompt locked by another user is a 409 `locked`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TemplateBody } from '../../../api/prompts.js';
import {
  chatItemsSchema,
  lockRequestSchema,
  promptAssetRequestSchema,
  promptInputRequestSchema,
  promptSearchRequestSchema,
  watsonxAssetResponseSchema,
  watsonxContextQuery,
} from '../../../api/watsonx-prompts.js';
import { KeelError } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Permission } from '../../../platform/roles.js';
import { compileTemplate } from '../../../prompts/compile-template.js';
import { renderSections } from '../../../prompts/render-template.js';
import { resolveValues } from '../../../prompts/variables.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';
import {
  bodyFromWatsonx,
  type ChatItem,
  type InputMode,
  keelNameFor,
  keelOnlyFields,
  watsonxFromBody,
} from './prompt-dialect.js';
import { type AssetRow, WatsonxAssetStore } from './watsonx-asset-store.js';

const promptId = z.object({ prompt_id: z.string().min(1) });
const answer = {
  200: {
    description: 'watsonx answer',
    content: { 'application/json': { schema: watsonxAssetResponseSchema } },
  },
};

function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}

/** Who acts in which project, for a watsonx asset call (project_id or space_id is required). */
export function assetCaller(c: Context<KeelEnv>, permission: Permission) {
  const query = c.req.query();
  const scope = projectScope(c, permission, requiredContextId(query.project_id, query.space_id, 'query'));
  const principal = c.get('principal');
  return { projectId: scope.projectId, role: scope.role, actor: principal.userId ?? principal.keyId };
}

export function epochMs(value: string | Date): number {
  return new Date(value).getTime();
}

async function templateName(services: KeelServices, projectId: string, id: string): Promise<string> {
  const result = await services.db.query<{ name: string }>(
    'SELECT name FROM prompt_templates WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL',
    [id, projectId],
  );
  const row = result.rows[0];
  if (!row) throw new KeelError('not_found', `No prompt ${id} in this project.`, { data: { promptId: id } });
  return row.name;
}

function lockJson(row: AssetRow | undefined) {
  return row?.locked_by
    ? { locked: true, lock_type: row.lock_type ?? 'edit', locked_by: row.locked_by }
    : { locked: false };
}

export function registerWatsonxPrompts(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const lab = services.prompts;
  const assets = new WatsonxAssetStore(services.db, services.audit);

  const promptJson = async (projectId: string, id: string) => {
    const name = await templateName(services, projectId, id);
    const stored = await lab.templates.resolve(projectId, { name, selector: { kind: 'latest' } });
    const row = await assets.get(projectId, 'prompt', id);
    const data = row?.data ?? {};
    const chatItems = (data.chat_items as ChatItem[] | undefined) ?? [];
    const mapped = watsonxFromBody(stored.body, chatItems);
    return {
      id,
      name: stored.summary.title || stored.summary.name,
      description: stored.summary.description,
      created_at: epochMs(stored.summary.created_at),
      last_updated_at: epochMs(stored.summary.updated_at),
      ...(row?.created_by ? { created_by: row.created_by } : {}),
      task_ids: (data.task_ids as string[] | undefined) ?? (stored.summary.task ? [stored.summary.task] : []),
      governance_tracked: false,
      lock: lockJson(row),
      input_mode: mapped.input_mode,
      ...(data.model_version ? { model_version: data.model_version } : {}),
      prompt_variables: mapped.prompt_variables,
      is_template: true,
      resource_key: stored.summary.name,
      prompt: {
        ...mapped.prompt,
        ...(data.external_information ? { external_information: data.external_information } : {}),
      },
      keel: { name: stored.summary.name, version: stored.version.version },
    };
  };

  const extras = (body: z.infer<typeof promptAssetRequestSchema>, inputMode: InputMode) => ({
    input_mode: inputMode,
    ...(body.task_ids ? { task_ids: body.task_ids } : {}),
    ...(body.model_version ? { model_version: body.model_version } : {}),
    ...(body.prompt.external_information ? { external_information: body.prompt.external_information } : {}),
    ...(inputMode !== 'chat' && body.prompt.chat_items ? { chat_items: body.prompt.chat_items } : {}),
  });

  for (const prefix of ['/wx/v1', '/v1']) {
    const base = `${prefix}/prompts`;
    app.openapi(
      createRoute({
        method: 'post',
        path: base,
        tags: ['watsonx.ai-compatible'],
        summary: 'Create a prompt asset (a Keel template)',
        request: { query: watsonxContextQuery, ...jsonBody(promptAssetRequestSchema) },
        responses: { 201: answer[200] },
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const body = c.req.valid('json');
        const inputMode: InputMode =
          body.input_mode ?? (body.prompt.chat_items?.length ? 'chat' : 'structured');
        const template: TemplateBody = bodyFromWatsonx(body.prompt, inputMode, body.prompt_variables);
        const created = await lab.create(
          { projectId: caller.projectId, keyId: null, actor: caller.actor },
          {
            name: keelNameFor(body.name, newId('w')),
            title: body.name.slice(0, 200),
            ...(body.description !== undefined ? { description: body.description } : {}),
            template,
            message: 'created through the watsonx.ai prompts API',
          },
        );
        await assets.put({
          id: created.id,
          kind: 'prompt',
          projectId: caller.projectId,
          data: extras(body, inputMode),
          actor: caller.actor,
        });
        if (body.lock?.locked)
          await assets.setLock(caller.projectId, created.id, caller.actor, { locked: true, force: false });
        return json(await promptJson(caller.projectId, created.id), 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'get',
        path: `${base}/{prompt_id}`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Get a prompt asset',
        request: {
          params: promptId,
          query: watsonxContextQuery.extend({ restrict_model_parameters: z.string().optional() }),
        },
        responses: answer,
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        return json(await promptJson(caller.projectId, c.req.valid('param').prompt_id));
      },
    );

    app.openapi(
      createRoute({
        method: 'patch',
        path: `${base}/{prompt_id}`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Update a prompt asset (a new template version)',
        request: { params: promptId, query: watsonxContextQuery, ...jsonBody(promptAssetRequestSchema) },
        responses: answer,
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const id = c.req.valid('param').prompt_id;
        const body = c.req.valid('json');
        const name = await templateName(services, caller.projectId, id);
        assets.assertUnlocked(await assets.get(caller.projectId, 'prompt', id), caller.actor, 'prompt');
        const current = await lab.templates.resolve(caller.projectId, { name, selector: { kind: 'latest' } });
        const inputMode: InputMode = body.input_mode ?? watsonxFromBody(current.body).input_mode;
        await lab.saveVersion({ projectId: caller.projectId, keyId: null, actor: caller.actor }, name, {
          template: {
            ...bodyFromWatsonx(body.prompt, inputMode, body.prompt_variables),
            ...keelOnlyFields(current.body),
          },
          base_version: current.version.version,
          message: 'updated through the watsonx.ai prompts API',
        });
        await lab.templates.updateMetadata(caller.projectId, name, {
          title: body.name.slice(0, 200),
          ...(body.description !== undefined ? { description: body.description } : {}),
        });
        await assets.put({
          id,
          kind: 'prompt',
          projectId: caller.projectId,
          data: extras(body, inputMode),
          actor: caller.actor,
        });
        return json(await promptJson(caller.projectId, id));
      },
    );

    app.openapi(
      createRoute({
        method: 'delete',
        path: `${base}/{prompt_id}`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Delete a prompt asset (soft-deletes the template)',
        request: { params: promptId, query: watsonxContextQuery },
        responses: { 204: { description: 'Deleted' } },
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const id = c.req.valid('param').prompt_id;
        const name = await templateName(services, caller.projectId, id);
        assets.assertUnlocked(await assets.get(caller.projectId, 'prompt', id), caller.actor, 'prompt');
        await lab.templates.delete(caller.projectId, name);
        await assets.delete(caller.projectId, 'prompt', id);
        return new Response(null, { status: 204 }) as never;
      },
    );

    app.openapi(
      createRoute({
        method: 'put',
        path: `${base}/{prompt_id}/lock`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Lock or unlock a prompt asset',
        request: {
          params: promptId,
          query: watsonxContextQuery.extend({ force: z.string().optional() }),
          ...jsonBody(lockRequestSchema),
        },
        responses: answer,
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const id = c.req.valid('param').prompt_id;
        await templateName(services, caller.projectId, id);
        const body = c.req.valid('json');
        const force = c.req.valid('query').force === 'true';
        if (force) projectScope(c, 'manage', caller.projectId);
        const row = await assets.setLock(caller.projectId, id, caller.actor, {
          locked: body.locked,
          lockType: body.lock_type,
          force,
        });
        return json(lockJson(row));
      },
    );

    app.openapi(
      createRoute({
        method: 'get',
        path: `${base}/{prompt_id}/lock`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Get the lock of a prompt asset',
        request: { params: promptId, query: watsonxContextQuery },
        responses: answer,
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        const id = c.req.valid('param').prompt_id;
        await templateName(services, caller.projectId, id);
        return json(lockJson(await assets.get(caller.projectId, 'prompt', id)));
      },
    );

    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/{prompt_id}/input`,
        tags: ['watsonx.ai-compatible'],
        summary: 'The rendered input of a prompt asset',
        request: { params: promptId, query: watsonxContextQuery, ...jsonBody(promptInputRequestSchema) },
        responses: answer,
      }),
      async (c) => {
        const caller = assetCaller(c, 'read');
        const id = c.req.valid('param').prompt_id;
        const body = c.req.valid('json');
        const name = await templateName(services, caller.projectId, id);
        const stored = await lab.templates.resolve(caller.projectId, { name, selector: { kind: 'latest' } });
        const variables = Object.fromEntries(
          Object.entries(body.prompt_variables ?? {}).map(([key, value]) => [key, String(value)]),
        );
        if (body.input !== undefined) {
          return json({
            input: body.input.replace(
              /\{([\p{L}_][\p{L}\p{N}_]*)\}/gu,
              (all, key: string) => variables[key] ?? all,
            ),
          });
        }
        const compiled = compileTemplate(stored.body);
        const values = resolveValues(compiled.variables, variables);
        const rendered = renderSections(compiled.sections, values.texts);
        const input =
          rendered.type === 'text'
            ? rendered.text
            : rendered.messages.map((message) => `${message.role}: ${message.content}`).join('\n\n');
        return json({ input });
      },
    );

    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/{prompt_id}/chat_items`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Add chat items to a prompt asset',
        request: { params: promptId, query: watsonxContextQuery, ...jsonBody(chatItemsSchema) },
        responses: { 204: { description: 'Added' } },
      }),
      async (c) => {
        const caller = assetCaller(c, 'write');
        const id = c.req.valid('param').prompt_id;
        await templateName(services, caller.projectId, id);
        const row = await assets.get(caller.projectId, 'prompt', id);
        assets.assertUnlocked(row, caller.actor, 'prompt');
        const items = [...((row?.data.chat_items as ChatItem[] | undefined) ?? []), ...c.req.valid('json')];
        await assets.put({
          id,
          kind: 'prompt',
          projectId: caller.projectId,
          data: { chat_items: items },
          actor: caller.actor,
        });
        return new Response(null, { status: 204 }) as never;
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v2/asset_types/wx_prompt/search',
      tags: ['watsonx.ai-compatible'],
      summary: 'Search prompt assets (every Keel template of the project)',
      request: { query: watsonxContextQuery, ...jsonBody(promptSearchRequestSchema) },
      responses: answer,
    }),
    async (c) => {
      const caller = assetCaller(c, 'read');
      const body = c.req.valid('json');
      const limit = body.limit ?? 100;
      const offset = body.bookmark && /^\d+$/.test(body.bookmark) ? Number(body.bookmark) : 0;
      const templates = await lab.templates.list(caller.projectId, { limit: offset + limit + 1 });
      const page = templates.slice(offset, offset + limit);
      return json({
        total_rows: templates.length > offset + limit ? offset + limit + 1 : templates.length,
        results: page.map((template) => ({
          metadata: {
            asset_id: template.id,
            name: template.title || template.name,
            description: template.description,
            asset_type: 'wx_prompt',
            created_at: template.created_at,
            usage: { last_updated_at: template.updated_at },
          },
          entity: {
            wx_prompt: {
              input_mode: template.mode,
              model_id: template.model_id ?? '',
              keel_name: template.name,
            },
          },
        })),
        ...(templates.length > offset + limit ? { next: { bookmark: String(offset + limit), limit } } : {}),
      });
    },
  );
}
