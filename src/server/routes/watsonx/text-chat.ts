/**
 * @module server/routes/watsonx/text-chat
 * `POST /ml/v1/text/chat` and `/ml/v1/text/chat_stream` (SSE), as watsonx.ai serves them.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type ChatRequest, chatRequestSchema, chatResponseSchema } from '../../../api/watsonx.js';
import { randomToken } from '../../../core/ids.js';
import type { GenerationRequest } from '../../../models/generation-service.js';
import type { ToolChoice } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { guardrailHeaders, guardrailsFor } from '../../guardrails-scope.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json, sse } from '../../respond.js';
import { toolCallJson } from '../openai/mapping.js';
import {
  chatMessagesFromWatsonx,
  chatParametersFromWatsonx,
  systemWarnings,
  watsonxChatFinishReason,
} from './mapping.js';
import { versionQuery } from './text-generation.js';
import { watsonxError } from './watsonx-route-shapes.js';

const errors = {
  400: watsonxError('Invalid request'),
  404: watsonxError('Unknown model or project'),
} as const;

const chatRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/chat',
  tags: ['watsonx.ai-compatible'],
  summary: 'Infer text (chat)',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: chatRequestSchema } } },
  },
  responses: {
    200: { description: 'Chat response', content: { 'application/json': { schema: chatResponseSchema } } },
    ...errors,
  },
});

const chatStreamRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/chat_stream',
  tags: ['watsonx.ai-compatible'],
  summary: 'Infer text event stream (chat)',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: chatRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Server-sent events of chat deltas',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errors,
  },
});

function chatRequest(
  body: ChatRequest,
  abortSignal: AbortSignal,
): { request: GenerationRequest; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  for (const field of ['logprobs', 'top_logprobs', 'logit_bias'] as const) {
    if (body[field] !== undefined && body[field] !== false)
      warnings.push({
        type: 'unsupported-setting',
        setting: field,
        message: `${field} is not supported and was ignored.`,
      });
  }
  let toolChoice: ToolChoice | undefined = body.tool_choice_option;
  if (body.tool_choice) toolChoice = { name: body.tool_choice.function.name };
  const format = body.response_format;
  const request: GenerationRequest = {
    model: body.model_id,
    prompt: { type: 'chat', messages: chatMessagesFromWatsonx(body.messages) },
    parameters: chatParametersFromWatsonx(body),
    abortSignal,
    ...(body.tools?.length
      ? {
          tools: body.tools.map((tool) => ({
            name: tool.function.name,
            ...(tool.function.description ? { description: tool.function.description } : {}),
            parameters: tool.function.parameters ?? { type: 'object', properties: {} },
          })),
        }
      : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(format && format.type !== 'text'
      ? {
          responseFormat: {
            type: 'json' as const,
            ...(format.json_schema?.schema ? { schema: format.json_schema.schema } : {}),
            ...(format.json_schema?.name ? { name: format.json_schema.name } : {}),
          },
        }
      : {}),
  };
  return { request, warnings };
}

export function registerTextChat(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(chatRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const { request, warnings } = chatRequest(body, requestSignal(c));
    const guardrails = await guardrailsFor(c, services, scope, { moderations: body.moderations });
    if (guardrails) request.guardrails = guardrails;
    const outcome = await services.generation.generate(request, {
      projectId: scope.projectId,
      keyId: scope.keyId,
      endpoint: '/ml/v1/text/chat',
    });
    const now = new Date();
    const toolCalls = outcome.toolCalls?.map((call) => toolCallJson(call));
    return json(
      {
        id: `chat-${randomToken(24)}`,
        model_id: body.model_id,
        model: body.model_id,
        created: Math.floor(now.getTime() / 1000),
        created_at: now.toISOString(),
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: outcome.text,
              ...(toolCalls?.length ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: watsonxChatFinishReason(outcome.finishReason, Boolean(toolCalls?.length)),
          },
        ],
        usage: {
          completion_tokens: outcome.usage.outputTokens,
          prompt_tokens: outcome.usage.inputTokens,
          total_tokens: outcome.usage.inputTokens + outcome.usage.outputTokens,
        },
        ...systemWarnings([...warnings, ...outcome.warnings]),
      },
      200,
      guardrailHeaders(outcome.guardrails),
    );
  });

  app.openapi(chatStreamRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const { request, warnings } = chatRequest(body, requestSignal(c));
    const guardrails = await guardrailsFor(c, services, scope, { moderations: body.moderations });
    if (guardrails) request.guardrails = guardrails;
    const outcome = await services.generation.stream(request, {
      projectId: scope.projectId,
      keyId: scope.keyId,
      endpoint: '/ml/v1/text/chat_stream',
    });
    const allWarnings = [...warnings, ...outcome.warnings];
    const now = new Date();
    const head = `"id":"chat-${randomToken(24)}","model_id":${JSON.stringify(body.model_id)},"model":${JSON.stringify(body.model_id)},"created":${Math.floor(now.getTime() / 1000)},"created_at":"${now.toISOString()}"`;
    async function* events(): AsyncGenerator<string> {
      let id = 1;
      const system = allWarnings.length
        ? `,"system":${JSON.stringify(systemWarnings(allWarnings).system)}`
        : '';
      yield `id: ${id++}\nevent: message\ndata: {${head},"choices":[{"index":0,"finish_reason":null,"delta":{"role":"assistant","content":""}}]${system}}\n\n`;
      let toolIndex = 0;
      for await (const part of outcome.stream) {
        if (part.type === 'text-delta') {
          yield `id: ${id++}\nevent: message\ndata: {${head},"choices":[{"index":0,"finish_reason":null,"delta":{"content":${JSON.stringify(part.text)}}}]}\n\n`;
        } else if (part.type === 'tool-call') {
          const call = toolCallJson(part.toolCall, toolIndex++);
          yield `id: ${id++}\nevent: message\ndata: {${head},"choices":[{"index":0,"finish_reason":null,"delta":{"tool_calls":[${JSON.stringify(call)}]}}]}\n\n`;
        } else if (part.type === 'finish') {
          const usage = {
            completion_tokens: part.usage.outputTokens,
            prompt_tokens: part.usage.inputTokens,
            total_tokens: part.usage.inputTokens + part.usage.outputTokens,
          };
          const reason = watsonxChatFinishReason(part.finishReason, toolIndex > 0);
          yield `id: ${id++}\nevent: message\ndata: {${head},"choices":[{"index":0,"finish_reason":"${reason}","delta":{}}],"usage":${JSON.stringify(usage)}}\n\n`;
        } else if (part.type === 'error') {
          yield `id: ${id++}\nevent: error\ndata: ${JSON.stringify({ errors: [{ code: part.error.code, message: part.error.message }], status_code: part.error.status })}\n\n`;
          break;
        }
      }
    }
    return sse(events());
  });
}
