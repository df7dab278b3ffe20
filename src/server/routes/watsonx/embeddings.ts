/**
 * @module server/routes/watsonx/embeddings
 * `POST /ml/v1/text/embeddings` and `POST /ml/v1/text/tokenization`.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  embeddingsRequestSchema,
  embeddingsResponseSchema,
  tokenizationRequestSchema,
  tokenizationResponseSchema,
} from '../../../api/watsonx.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json } from '../../respond.js';
import { systemWarnings } from './mapping.js';
import { versionQuery } from './text-generation.js';
import { watsonxError } from './watsonx-route-shapes.js';

const errors = {
  400: watsonxError('Invalid request'),
  404: watsonxError('Unknown model or project'),
} as const;

const embeddingsRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/embeddings',
  tags: ['watsonx.ai-compatible'],
  summary: 'Generate embeddings',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: embeddingsRequestSchema } } },
  },
  responses: {
    200: {
      description: 'One embedding per input',
      content: { 'application/json': { schema: embeddingsResponseSchema } },
    },
    ...errors,
  },
});

const tokenizationRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/tokenization',
  tags: ['watsonx.ai-compatible'],
  summary: 'Text tokenization',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: tokenizationRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Token count (and tokens)',
      content: { 'application/json': { schema: tokenizationResponseSchema } },
    },
    ...errors,
  },
});

export function registerEmbeddingsAndTokenization(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(embeddingsRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const truncate = body.parameters?.truncate_input_tokens;
    const result = await services.generation.embed(
      {
        model: body.model_id,
        values: body.inputs,
        ...(truncate !== undefined ? { truncateInputTokens: truncate } : {}),
        abortSignal: requestSignal(c),
      },
      { projectId: scope.projectId, keyId: scope.keyId, endpoint: '/ml/v1/text/embeddings' },
    );
    const withInput = body.parameters?.return_options?.input_text === true;
    return json({
      model_id: body.model_id,
      results: result.embeddings.map((vector, index) => ({
        embedding: Array.from(vector),
        ...(withInput ? { input: body.inputs[index] } : {}),
      })),
      created_at: new Date().toISOString(),
      input_token_count: result.usage.inputTokens,
      ...systemWarnings(result.warnings),
    });
  });

  app.openapi(tokenizationRoute, async (c) => {
    const body = c.req.valid('json');
    projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const result = await services.generation.tokenize(body.model_id, body.input, requestSignal(c));
    return json({
      model_id: body.model_id,
      result: {
        token_count: result.tokens.length,
        ...(body.parameters?.return_tokens ? { tokens: result.strings ?? result.tokens.map(String) } : {}),
      },
    });
  });
}
