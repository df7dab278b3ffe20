/**
 * @module server/routes/openai/models
 * `GET /v1/models` and `GET /v1/models/{model}`: every model of every provider, as OpenAI lists them.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { modelListSchema, openAIErrorSchema, openAIModelSchema } from '../../../api/openai.js';
import { KeelError } from '../../../core/errors.js';
import type { ModelInfo } from '../../../spec/provider.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['OpenAI-compatible'],
  summary: 'List models',
  responses: {
    200: {
      description: 'Models of all providers',
      content: { 'application/json': { schema: modelListSchema } },
    },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/models/{model}',
  tags: ['OpenAI-compatible'],
  summary: 'Retrieve a model',
  request: { params: z.object({ model: z.string().min(1) }) },
  responses: {
    200: { description: 'The model', content: { 'application/json': { schema: openAIModelSchema } } },
    404: { description: 'Unknown model', content: { 'application/json': { schema: openAIErrorSchema } } },
  },
});

/**
 * Lists models with a short cache: remote providers are asked at most every few seconds. A
 * finished model download forgets the cache, so a pulled model shows up at once.
 */
export function modelLister(services: KeelServices, ttlMs = 5_000): () => Promise<ModelInfo[]> {
  let cached: { at: number; models: Promise<ModelInfo[]> } | undefined;
  services.pulls.onFinished(() => {
    cached = undefined;
  });
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ttlMs) {
      const models = services.registry.listModels().then((result) => result.models);
      cached = { at: now, models };
      models.catch(() => {
        cached = undefined;
      });
    }
    return cached.models;
  };
}

function toOpenAI(model: ModelInfo, created: number) {
  return { id: model.id, object: 'model' as const, created, owned_by: model.provider };
}

export function registerModels(
  app: OpenAPIHono<KeelEnv>,
  services: KeelServices,
  listModels: () => Promise<ModelInfo[]>,
): void {
  const created = Math.floor(services.startedAt.getTime() / 1000);
  app.openapi(listRoute, async (c) => {
    projectScope(c, 'read');
    const models = await listModels();
    return json({ object: 'list', data: models.map((model) => toOpenAI(model, created)) });
  });
  app.openapi(getRoute, async (c) => {
    projectScope(c, 'read');
    const id = c.req.valid('param').model;
    const model = (await listModels()).find((candidate) => candidate.id === id);
    if (!model) {
      throw new KeelError('model_not_found', `Model ${id} not found.`, {
        data: { hint: 'List available models with GET /v1/models or `keel models list`.' },
      });
    }
    return json(toOpenAI(model, created));
  });
}
