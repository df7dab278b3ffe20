/**
 * @module server/routes/watsonx/text-generation
 * `POST /ml/v1/text/generation` and `/ml/v1/text/generation_stream` (SSE), as watsonx.ai serves them.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { textGenRequestSchema, textGenResponseSchema } from '../../../api/watsonx.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { guardrailHeaders, guardrailsFor } from '../../guardrails-scope.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json, sse } from '../../respond.js';
import {
  ignoredParameterWarnings,
  parametersFromWatsonx,
  systemWarnings,
  watsonxStopReason,
} from './mapping.js';
import { moderationResults } from './moderations.js';
import { watsonxError } from './watsonx-route-shapes.js';

export const versionQuery = z.object({
  version: z.string().optional().describe('API version date, YYYY-MM-DD (accepted, not required)'),
});

const errors = {
  400: watsonxError('Invalid request'),
  401: watsonxError('Missing or invalid key'),
  404: watsonxError('Unknown model or project'),
} as const;

const generationRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/generation',
  tags: ['watsonx.ai-compatible'],
  summary: 'Infer text',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: textGenRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Generated text',
      content: { 'application/json': { schema: textGenResponseSchema } },
    },
    ...errors,
  },
});

const streamRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/generation_stream',
  tags: ['watsonx.ai-compatible'],
  summary: 'Infer text event stream',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: textGenRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Server-sent events, one `results` object per chunk',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errors,
  },
});

export function registerTextGeneration(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(generationRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const warnings = ignoredParameterWarnings(body.parameters);
    const guardrails = await guardrailsFor(c, services, scope, { moderations: body.moderations });
    const outcome = await services.generation.generate(
      {
        model: body.model_id,
        prompt: { type: 'text', text: body.input },
        parameters: parametersFromWatsonx(body.parameters),
        abortSignal: requestSignal(c),
        ...(guardrails ? { guardrails } : {}),
      },
      { projectId: scope.projectId, keyId: scope.keyId, endpoint: '/ml/v1/text/generation' },
    );
    return json(
      {
        model_id: body.model_id,
        created_at: new Date().toISOString(),
        results: [
          {
            generated_text: outcome.text,
            generated_token_count: outcome.usage.outputTokens,
            input_token_count: outcome.usage.inputTokens,
            stop_reason: watsonxStopReason(outcome.finishReason),
            ...(outcome.seed !== undefined ? { seed: outcome.seed } : {}),
            ...(body.parameters?.return_options?.input_text ? { input_text: body.input } : {}),
            ...moderationResults(outcome.guardrails),
          },
        ],
        ...systemWarnings([...warnings, ...outcome.warnings]),
      },
      200,
      guardrailHeaders(outcome.guardrails),
    );
  });

  app.openapi(streamRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const warnings = ignoredParameterWarnings(body.parameters);
    const guardrails = await guardrailsFor(c, services, scope, { moderations: body.moderations });
    const outcome = await services.generation.stream(
      {
        model: body.model_id,
        prompt: { type: 'text', text: body.input },
        parameters: parametersFromWatsonx(body.parameters),
        abortSignal: requestSignal(c),
        ...(guardrails ? { guardrails } : {}),
      },
      { projectId: scope.projectId, keyId: scope.keyId, endpoint: '/ml/v1/text/generation_stream' },
    );
    const allWarnings = [...warnings, ...outcome.warnings];
    const modelId = JSON.stringify(body.model_id);
    async function* events(): AsyncGenerator<string> {
      let id = 1;
      let generated = 0;
      const createdAt = JSON.stringify(new Date().toISOString());
      for await (const part of outcome.stream) {
        if (part.type === 'text-delta') {
          generated++;
          const system =
            id === 1 && allWarnings.length
              ? `,"system":${JSON.stringify(systemWarnings(allWarnings).system)}`
              : '';
          yield `id: ${id++}\nevent: message\ndata: {"model_id":${modelId},"created_at":${createdAt},"results":[{"generated_text":${JSON.stringify(part.text)},"generated_token_count":${generated},"input_token_count":0,"stop_reason":"not_finished"}]${system}}\n\n`;
        } else if (part.type === 'finish') {
          const result = {
            generated_text: '',
            generated_token_count: part.usage.outputTokens,
            input_token_count: part.usage.inputTokens,
            stop_reason: watsonxStopReason(part.finishReason),
            ...(part.seed !== undefined ? { seed: part.seed } : {}),
            ...moderationResults(outcome.guardrails),
          };
          yield `id: ${id++}\nevent: message\ndata: {"model_id":${modelId},"created_at":${createdAt},"results":[${JSON.stringify(result)}]}\n\n`;
        } else if (part.type === 'error') {
          const error = {
            errors: [{ code: part.error.code, message: part.error.message }],
            status_code: part.error.status,
          };
          yield `id: ${id++}\nevent: error\ndata: ${JSON.stringify(error)}\n\n`;
          break;
        }
      }
    }
    return sse(events());
  });
}
