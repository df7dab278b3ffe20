/**
 * @module server/routes/prompts
 * Prompt Lab's HTTP surface: templates, versions, labels and diffs; render and run; the run
 * history and prompt sessions; compare; samples; prompt files. Every route authorises with
 * `projectScope` (read, invoke or write) and calls the one `PromptLab` service.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerCompareRoutes } from './compare.js';
import { registerRunRoutes } from './runs.js';
import { registerSampleAndFileRoutes } from './samples-files.js';
import { registerSessionRoutes } from './sessions.js';
import { registerTemplateRoutes } from './templates.js';

export function registerPromptRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const lab = services.prompts;
  // Static paths (render, run by body) before `/api/v1/prompts/{prompt}/…`, so they are never read as a name.
  registerRunRoutes(app, lab);
  registerTemplateRoutes(app, lab);
  registerSessionRoutes(app, lab);
  registerCompareRoutes(app, lab);
  registerSampleAndFileRoutes(app, lab);
}
