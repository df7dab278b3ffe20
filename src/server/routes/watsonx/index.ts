/**
 * @module server/routes/watsonx
 * The watsonx.ai-compatible routes beyond generation, chat, embeddings and tokenization (which
 * the models module registers one by one): rerank, time-series forecast, foundation model tasks,
 * and prompt templates and sessions as watsonx assets. `registerWatsonxGuards` goes first, before
 * any watsonx route (see guards.ts).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerForecast } from './forecast.js';
import { registerFoundationModelTasks } from './foundation-model-tasks.js';
import { registerWatsonxPromptSessions } from './prompt-sessions.js';
import { registerWatsonxPrompts } from './prompts.js';
import { registerRerank } from './rerank.js';

export { registerWatsonxGuards } from './guards.js';

/** Rerank, forecast and tasks: model routes, registered with the models module. */
export function registerWatsonxModelRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  registerRerank(app, services);
  registerForecast(app, services);
  registerFoundationModelTasks(app, services);
}

/** Prompt assets and prompt sessions in the watsonx dialect: registered with the prompts module. */
export function registerWatsonxPromptRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  registerWatsonxPrompts(app, services);
  registerWatsonxPromptSessions(app, services);
}
