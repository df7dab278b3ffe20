/**
 * @module server/routes/prompts/templates
 * `/api/v1/prompts`: templates (create, list, read at a version or label, metadata, delete),
 * versions (list, save with `base_version`), labels (set, move, delete) and diffs.
 */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createPromptRequestSchema,
  labelMoveSchema,
  promptDiffSchema,
  promptListQuerySchema,
  promptSummarySchema,
  promptTemplateSchema,
  saveVersionRequestSchema,
  setLabelRequestSchema,
  updatePromptRequestSchema,
  versionInfoSchema,
} from '../../../api/prompts.js';
import type { PromptLab } from '../../../prompts/prompt-lab.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { errorResponses, labelName, plainName, projectHeader, promptParam } from './shared.js';

const tags = ['Prompt Lab'];
const ok = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const labelParams = promptParam.extend({ label: z.string().min(1) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/prompts',
    tags,
    summary: 'List prompt templates',
    request: { headers: projectHeader, query: promptListQuerySchema },
    responses: {
      200: ok('Templates', z.object({ prompts: z.array(promptSummarySchema) })),
      ...errorResponses,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/prompts',
    tags,
    summary: 'Create a prompt template (version 1)',
    request: { headers: projectHeader, ...body(createPromptRequestSchema) },
    responses: { 201: ok('The template', promptTemplateSchema), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/prompts/{prompt}',
    tags,
    summary: 'Read a template at name, name@version or name@label',
    request: { headers: projectHeader, params: promptParam },
    responses: { 200: ok('The template', promptTemplateSchema), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/prompts/{prompt}',
    tags,
    summary: 'Change title, description or task (not versioned)',
    request: { headers: projectHeader, params: promptParam, ...body(updatePromptRequestSchema) },
    responses: { 200: ok('The template', promptSummarySchema), ...errorResponses },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/prompts/{prompt}',
    tags,
    summary: 'Delete a template (its run history stays)',
    request: { headers: projectHeader, params: promptParam },
    responses: { 200: ok('The deleted template', promptSummarySchema), ...errorResponses },
  }),
  versions: createRoute({
    method: 'get',
    path: '/api/v1/prompts/{prompt}/versions',
    tags,
    summary: 'List versions, newest first',
    request: { headers: projectHeader, params: promptParam },
    responses: { 200: ok('Versions', z.object({ versions: z.array(versionInfoSchema) })), ...errorResponses },
  }),
  save: createRoute({
    method: 'post',
    path: '/api/v1/prompts/{prompt}/versions',
    tags,
    summary: 'Save a new immutable version',
    description: '`base_version` must be the latest version; otherwise 409 `conflict` and nothing is saved.',
    request: { headers: projectHeader, params: promptParam, ...body(saveVersionRequestSchema) },
    responses: { 201: ok('The template at its new version', promptTemplateSchema), ...errorResponses },
  }),
  setLabel: createRoute({
    method: 'put',
    path: '/api/v1/prompts/{prompt}/labels/{label}',
    tags,
    summary: 'Point a label at a version',
    request: { headers: projectHeader, params: labelParams, ...body(setLabelRequestSchema) },
    responses: { 200: ok('The move', labelMoveSchema), ...errorResponses },
  }),
  deleteLabel: createRoute({
    method: 'delete',
    path: '/api/v1/prompts/{prompt}/labels/{label}',
    tags,
    summary: 'Remove a label',
    request: { headers: projectHeader, params: labelParams },
    responses: {
      200: ok('The removed label and the version it pointed at', labelMoveSchema),
      ...errorResponses,
    },
  }),
  diff: createRoute({
    method: 'get',
    path: '/api/v1/prompts/{prompt}/diff',
    tags,
    summary: 'Differences between two versions',
    request: {
      headers: projectHeader,
      params: promptParam,
      query: z.object({
        from: z.string().min(1).describe('version or label'),
        to: z.string().min(1).describe('version or label'),
      }),
    },
    responses: { 200: ok('Changes, field by field', promptDiffSchema), ...errorResponses },
  }),
};

export function registerTemplateRoutes(app: OpenAPIHono<KeelEnv>, lab: PromptLab): void {
  app.openapi(routes.list, async (c) => {
    const caller = callerOf(c, 'read');
    return json({ prompts: await lab.templates.list(caller.projectId, c.req.valid('query')) });
  });
  app.openapi(routes.create, async (c) => {
    const caller = callerOf(c, 'write');
    return json(await lab.create(caller, c.req.valid('json')), 201);
  });
  app.openapi(routes.get, async (c) => {
    const caller = callerOf(c, 'read');
    return json(await lab.get(caller.projectId, c.req.valid('param').prompt));
  });
  app.openapi(routes.update, async (c) => {
    const caller = callerOf(c, 'write');
    return json(
      await lab.templates.updateMetadata(
        caller.projectId,
        plainName(c.req.valid('param').prompt),
        c.req.valid('json'),
      ),
    );
  });
  app.openapi(routes.delete, async (c) => {
    const caller = callerOf(c, 'write');
    return json(await lab.templates.delete(caller.projectId, plainName(c.req.valid('param').prompt)));
  });
  app.openapi(routes.versions, async (c) => {
    const caller = callerOf(c, 'read');
    return json({
      versions: await lab.templates.listVersions(caller.projectId, plainName(c.req.valid('param').prompt)),
    });
  });
  app.openapi(routes.save, async (c) => {
    const caller = callerOf(c, 'write');
    return json(
      await lab.saveVersion(caller, plainName(c.req.valid('param').prompt), c.req.valid('json')),
      201,
    );
  });
  app.openapi(routes.setLabel, async (c) => {
    const caller = callerOf(c, 'write');
    const { prompt, label } = c.req.valid('param');
    const input = c.req.valid('json');
    const name = plainName(prompt);
    return json(
      await lab.labels.setLabel(
        caller.projectId,
        caller.actor,
        name,
        labelName(label),
        input.version,
        input.expected_version,
      ),
    );
  });
  app.openapi(routes.deleteLabel, async (c) => {
    const caller = callerOf(c, 'write');
    const { prompt, label } = c.req.valid('param');
    return json(await lab.labels.deleteLabel(caller.projectId, plainName(prompt), label));
  });
  app.openapi(routes.diff, async (c) => {
    const caller = callerOf(c, 'read');
    const { from, to } = c.req.valid('query');
    return json(await lab.diff(caller.projectId, plainName(c.req.valid('param').prompt), from, to));
  });
}
