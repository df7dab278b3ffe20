/**
 * @module server/routes/prompts/samples-files
 * The sample library (`/api/v1/prompt-samples`, loadable into a project in one call) and prompt
 * files (`/api/v1/prompt-files`: templates to and from YAML, imported in one transaction).
 */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  exportQuerySchema,
  exportResponseSchema,
  importRequestSchema,
  importResponseSchema,
  loadSamplesRequestSchema,
  loadSamplesResponseSchema,
  promptSampleSchema,
  sampleListQuerySchema,
} from '../../../api/prompts.js';
import { exportPromptFiles, importPromptFiles } from '../../../prompts/prompt-files.js';
import type { PromptLab } from '../../../prompts/prompt-lab.js';
import { listSamples, loadSamples } from '../../../prompts/samples/index.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { errorResponses, plainName, projectHeader } from './shared.js';

const tags = ['Prompt Lab'];
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const ok = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

const routes = {
  samples: createRoute({
    method: 'get',
    path: '/api/v1/prompt-samples',
    tags,
    summary: 'Sample templates by task, in Korean and English',
    request: { query: sampleListQuerySchema },
    responses: { 200: ok('Samples', z.object({ samples: z.array(promptSampleSchema) })), ...errorResponses },
  }),
  load: createRoute({
    method: 'post',
    path: '/api/v1/prompt-samples/load',
    tags,
    summary: 'Load samples into the project as templates',
    request: { headers: projectHeader, ...jsonBody(loadSamplesRequestSchema) },
    responses: { 200: ok('Created and skipped templates', loadSamplesResponseSchema), ...errorResponses },
  }),
  export: createRoute({
    method: 'get',
    path: '/api/v1/prompt-files',
    tags,
    summary: 'Export templates as YAML files (versions and labels kept)',
    request: { headers: projectHeader, query: exportQuerySchema },
    responses: { 200: ok('One file per template', exportResponseSchema), ...errorResponses },
  }),
  import: createRoute({
    method: 'post',
    path: '/api/v1/prompt-files',
    tags,
    summary: 'Import YAML template files, all or nothing',
    request: { headers: projectHeader, ...jsonBody(importRequestSchema) },
    responses: { 200: ok('What each file changed', importResponseSchema), ...errorResponses },
  }),
};

export function registerSampleAndFileRoutes(app: OpenAPIHono<KeelEnv>, lab: PromptLab): void {
  app.openapi(routes.samples, async (c) => {
    callerOf(c, 'read');
    return json({ samples: listSamples(c.req.valid('query')) });
  });
  app.openapi(routes.load, async (c) =>
    json(await loadSamples(lab, callerOf(c, 'write'), c.req.valid('json'))),
  );
  app.openapi(routes.export, async (c) => {
    const caller = callerOf(c, 'read');
    const names = c.req
      .valid('query')
      .names?.split(',')
      .map((name) => plainName(name.trim()))
      .filter(Boolean);
    return json({ files: await exportPromptFiles(lab, caller.projectId, names) });
  });
  app.openapi(routes.import, async (c) => {
    const caller = callerOf(c, 'write');
    const input = c.req.valid('json');
    const dryRun = input.dry_run === true;
    return json({ dry_run: dryRun, results: await importPromptFiles(lab, caller, input.files, dryRun) });
  });
}
