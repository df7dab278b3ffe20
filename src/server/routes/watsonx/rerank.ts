/**
 * @module server/routes/watsonx/rerank
 * `POST /ml/v1/text/rerank`: scores `inputs` against `query` on the rerank port — a provider's
 * reranking model (`provider:model`, e.g. a llama.cpp reranking GGUF) or Keel's built-in lexical
 * reranker, `keel/lexical-rerank`, which needs no model, or `keel/lexical-ngram-rerank`, the same
 * fused with character n-gram cosine similarity (also no model). More than watsonx's 1,000 inputs
 * is a coded 400 `too_many_inputs`.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  MAX_RERANK_INPUTS,
  rerankRequestSchema,
  rerankResponseSchema,
} from '../../../api/watsonx-inference.js';
import { KeelError } from '../../../core/errors.js';
import { builtInRerankModel } from '../../../rag/rerank/built-in.js';
import type { RerankModelV1 } from '../../../spec/rerank-model.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';
import { versionQuery } from './text-generation.js';
import { watsonxError } from './watsonx-route-shapes.js';

const route = createRoute({
  method: 'post',
  path: '/ml/v1/text/rerank',
  tags: ['watsonx.ai-compatible'],
  summary: 'Rerank texts against a query',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: rerankRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Inputs with scores, best first',
      content: { 'application/json': { schema: rerankResponseSchema } },
    },
    400: watsonxError('Invalid request'),
    404: watsonxError('Unknown model or project'),
    501: watsonxError('The provider has no reranking'),
  },
});

/** Cuts each input to its first `tokens` words (a model-free approximation of watsonx's truncation). */
function truncate(text: string, tokens: number | undefined): string {
  if (!tokens) return text;
  const words = text.split(/\s+/);
  return words.length > tokens ? words.slice(0, tokens).join(' ') : text;
}

export function registerRerank(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    projectScope(c, 'invoke', requiredContextId(body.project_id, body.space_id, 'body'));
    if (body.inputs.length > MAX_RERANK_INPUTS) {
      throw new KeelError(
        'too_many_inputs',
        `Rerank takes at most ${MAX_RERANK_INPUTS} inputs per request; this one has ${body.inputs.length}. Send them in batches.`,
        {
          issues: [
            {
              code: 'too_many_inputs',
              path: ['inputs'],
              message: `${body.inputs.length} > ${MAX_RERANK_INPUTS}`,
            },
          ],
        },
      );
    }
    const model: RerankModelV1 =
      builtInRerankModel(body.model_id) ?? services.registry.rerankModel(body.model_id);
    const options = body.parameters?.return_options;
    const documents = body.inputs.map((input) =>
      truncate(input.text, body.parameters?.truncate_input_tokens),
    );
    const outcome = await model.doRerank({
      query: body.query,
      documents,
      ...(options?.top_n !== undefined ? { topN: options.top_n } : {}),
      abortSignal: requestSignal(c),
    });
    return json({
      model_id: body.model_id,
      results: outcome.results.map((result) => ({
        index: result.index,
        score: result.score,
        ...(options?.inputs ? { input: { text: body.inputs[result.index]!.text } } : {}),
      })),
      created_at: new Date().toISOString(),
      input_token_count: outcome.usage.inputTokens,
      ...(options?.query ? { query: body.query } : {}),
    });
  });
}
