/**
 * @module server/routes/openai/embeddings
 * `POST /v1/embeddings`; float arrays or little-endian float32 base64 (the `openai` SDK's default).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { embeddingRequestSchema, embeddingResponseSchema, openAIErrorSchema } from '../../../api/openai.js';
import type { CallWarning } from '../../../spec/warnings.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json } from '../../respond.js';
import { embeddingToBase64, openAIWarnings } from './mapping.js';

const route = createRoute({
  method: 'post',
  path: '/v1/embeddings',
  tags: ['OpenAI-compatible'],
  summary: 'Create embeddings',
  request: { body: { required: true, content: { 'application/json': { schema: embeddingRequestSchema } } } },
  responses: {
    200: {
      description: 'One embedding per input, in order.',
      content: { 'application/json': { schema: embeddingResponseSchema } },
    },
    400: { description: 'Invalid request', content: { 'application/json': { schema: openAIErrorSchema } } },
    404: { description: 'Unknown model', content: { 'application/json': { schema: openAIErrorSchema } } },
  },
});

export function registerEmbeddings(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke');
    const values = typeof body.input === 'string' ? [body.input] : body.input;
    const result = await services.generation.embed(
      { model: body.model, values, abortSignal: requestSignal(c) },
      { projectId: scope.projectId, keyId: scope.keyId, endpoint: '/v1/embeddings' },
    );
    const warnings: CallWarning[] = [...result.warnings];
    const dimension = result.embeddings[0]?.length ?? 0;
    if (body.dimensions !== undefined && body.dimensions !== dimension) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'dimensions',
        message: `${body.model} returns ${dimension}-dimensional vectors; dimensions=${body.dimensions} was ignored.`,
      });
    }
    const base64 = body.encoding_format === 'base64';
    return json({
      object: 'list',
      data: result.embeddings.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? embeddingToBase64(vector) : Array.from(vector),
      })),
      model: body.model,
      usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
      ...openAIWarnings(warnings),
    });
  });
}
