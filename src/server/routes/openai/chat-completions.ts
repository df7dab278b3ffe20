/**
 * @module server/routes/openai/chat-completions
 * `POST /v1/chat/completions`, streaming and not, as the OpenAI API defines it.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  type ChatCompletion,
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  chatCompletionSchema,
  openAIErrorSchema,
} from '../../../api/openai.js';
import { randomToken } from '../../../core/ids.js';
import type { GenerationOutcome, GenerationRequest } from '../../../models/generation-service.js';
import type { CallContext } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { guardrailHeaders, guardrailsNamed } from '../../guardrails-scope.js';
import { type ProjectScope, projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json, sse } from '../../respond.js';
import { deploymentCompletion, isDeploymentModel } from '../deployments/openai-deployment.js';
import {
  chatRequestFromOpenAI,
  openAIFinishReason,
  openAIWarnings,
  rejectBlocked,
  toolCallJson,
} from './mapping.js';

const route = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['OpenAI-compatible'],
  summary: 'Create a chat completion',
  request: {
    body: { required: true, content: { 'application/json': { schema: chatCompletionRequestSchema } } },
  },
  responses: {
    200: {
      description: 'A chat completion, or a stream of chunks (text/event-stream) when `stream` is true.',
      content: { 'application/json': { schema: chatCompletionSchema } },
    },
    400: { description: 'Invalid request', content: { 'application/json': { schema: openAIErrorSchema } } },
    401: {
      description: 'Missing or invalid key',
      content: { 'application/json': { schema: openAIErrorSchema } },
    },
    404: {
      description: 'Unknown model or project',
      content: { 'application/json': { schema: openAIErrorSchema } },
    },
    502: {
      description: 'Upstream provider failed',
      content: { 'application/json': { schema: openAIErrorSchema } },
    },
  },
});

export function registerChatCompletions(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    if (isDeploymentModel(body.model)) return deploymentCompletion(c, services, body, 'chat') as never;
    const { request, warnings, context } = await chatCall(
      services,
      body,
      projectScope(c, 'invoke'),
      requestSignal(c),
      c.req.header('x-keel-guardrail-policy'),
    );
    if (body.stream) return sse(await chatChunks(services, body, request, warnings, context));

    const reply = await chatCompletion(services, body, request, warnings, context);
    return json(reply.body, 200, reply.headers);
  });
}

/** A streamed chat completion: the model call started, its parts as OpenAI's SSE chunk events. */
export async function chatChunks(
  services: Pick<KeelServices, 'generation'>,
  body: ChatCompletionRequest,
  request: GenerationRequest,
  warnings: CallWarning[],
  context: CallContext,
): Promise<AsyncGenerator<string>> {
  const id = `chatcmpl-${randomToken(24)}`;
  const created = Math.floor(Date.now() / 1000);
  if ((body.n ?? 1) > 1) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'n',
      message: 'Streaming returns one choice; n was ignored.',
    });
  }
  const outcome = await services.generation.stream(request, context);
  rejectBlocked(outcome.guardrails);
  const allWarnings = [...warnings, ...outcome.warnings];
  const includeUsage = body.stream_options?.include_usage === true;
  const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(body.model)},"system_fingerprint":null,"choices":[{"index":0,"delta":`;
  async function* events(): AsyncGenerator<string> {
    yield `data: ${head}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]${allWarnings.length ? `,"warnings":${JSON.stringify(allWarnings)}` : ''}}\n\n`;
    let toolIndex = 0;
    for await (const part of outcome.stream) {
      if (part.type === 'text-delta') {
        yield `data: ${head}{"content":${JSON.stringify(part.text)}},"logprobs":null,"finish_reason":null}]}\n\n`;
      } else if (part.type === 'tool-call') {
        const call = toolCallJson(part.toolCall, toolIndex++);
        yield `data: ${head}{"tool_calls":[${JSON.stringify(call)}]},"logprobs":null,"finish_reason":null}]}\n\n`;
      } else if (part.type === 'finish') {
        const reason = openAIFinishReason(part.finishReason, toolIndex > 0);
        yield `data: ${head}{},"logprobs":null,"finish_reason":"${reason}"}]}\n\n`;
        if (includeUsage) {
          const usage = {
            prompt_tokens: part.usage.inputTokens,
            completion_tokens: part.usage.outputTokens,
            total_tokens: part.usage.inputTokens + part.usage.outputTokens,
          };
          yield `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(body.model)},"system_fingerprint":null,"choices":[],"usage":${JSON.stringify(usage)}}\n\n`;
        }
      } else {
        const error = part.error;
        yield `data: ${JSON.stringify({ error: { message: error.message, type: 'api_error', param: null, code: error.code } })}\n\n`;
        break;
      }
    }
    yield 'data: [DONE]\n\n';
  }
  return events();
}

/** The generation request for a chat body, under the project's guardrail policy. */
export async function chatCall(
  services: Pick<KeelServices, 'guardrails'>,
  body: ChatCompletionRequest,
  scope: ProjectScope,
  signal: AbortSignal,
  policyHeader: string | undefined,
): Promise<{ request: GenerationRequest; warnings: CallWarning[]; context: CallContext }> {
  const context = { projectId: scope.projectId, keyId: scope.keyId, endpoint: '/v1/chat/completions' };
  const { request, warnings } = chatRequestFromOpenAI(body, signal);
  const guardrails = await guardrailsNamed(services, scope, policyHeader);
  if (guardrails) request.guardrails = guardrails;
  return { request, warnings, context };
}

/**
 * A chat completion that is not streamed: `n` generations (seeds varied), as the OpenAI API
 * answers it. Shared by the Hono route and the direct lane (server/direct-lane).
 */
export async function chatCompletion(
  services: Pick<KeelServices, 'generation'>,
  body: ChatCompletionRequest,
  request: GenerationRequest,
  warnings: CallWarning[],
  context: CallContext,
): Promise<{ body: ChatCompletion; headers: Record<string, string> | undefined }> {
  const id = `chatcmpl-${randomToken(24)}`;
  const created = Math.floor(Date.now() / 1000);
  const n = body.n ?? 1;
  const outcomes: GenerationOutcome[] = [];
  for (let i = 0; i < n; i++) {
    // Each choice is its own generation; with a seed, vary it so the choices differ.
    const parameters = { ...request.parameters };
    if (i > 0 && parameters.randomSeed !== undefined) parameters.randomSeed += i;
    const outcome = await services.generation.generate({ ...request, parameters }, context);
    rejectBlocked(outcome.guardrails);
    outcomes.push(outcome);
  }
  const inputTokens = outcomes[0]!.usage.inputTokens;
  const outputTokens = outcomes.reduce((sum, outcome) => sum + outcome.usage.outputTokens, 0);
  const allWarnings = [...warnings, ...outcomes[0]!.warnings];
  return {
    body: {
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: outcomes.map((outcome, index) => ({
        index,
        message: {
          role: 'assistant',
          content: outcome.toolCalls?.length && !outcome.text ? null : outcome.text,
          ...(outcome.toolCalls?.length
            ? { tool_calls: outcome.toolCalls.map((call) => toolCallJson(call)) }
            : {}),
        },
        finish_reason: openAIFinishReason(outcome.finishReason, Boolean(outcome.toolCalls?.length)),
        logprobs: null,
      })),
      usage: {
        prompt_tokens: inputTokens,
        completion_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
      system_fingerprint: null,
      ...openAIWarnings(allWarnings),
    },
    headers: guardrailHeaders(outcomes[0]!.guardrails),
  };
}
