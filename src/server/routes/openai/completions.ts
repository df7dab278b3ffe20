/**
 * @module server/routes/openai/completions
 * `POST /v1/completions` (the legacy text completion API), streaming and not.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { completionRequestSchema, completionSchema, openAIErrorSchema } from '../../../api/openai.js';
import { randomToken } from '../../../core/ids.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { guardrailsFor } from '../../guardrails-scope.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json, sse } from '../../respond.js';
import { deploymentCompletion, isDeploymentModel } from '../deployments/openai-deployment.js';
import { completionRequestFromOpenAI, openAIFinishReason, openAIWarnings, rejectBlocked } from './mapping.js';

const route = createRoute({
  method: 'post',
  path: '/v1/completions',
  tags: ['OpenAI-compatible'],
  summary: 'Create a text completion',
  request: { body: { required: true, content: { 'application/json': { schema: completionRequestSchema } } } },
  responses: {
    200: {
      description: 'A completion, or a stream when `stream` is true.',
      content: { 'application/json': { schema: completionSchema } },
    },
    400: { description: 'Invalid request', content: { 'application/json': { schema: openAIErrorSchema } } },
    404: { description: 'Unknown model', content: { 'application/json': { schema: openAIErrorSchema } } },
  },
});

export function registerCompletions(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    if (isDeploymentModel(body.model)) return deploymentCompletion(c, services, body, 'completion') as never;
    const scope = projectScope(c, 'invoke');
    const context = { projectId: scope.projectId, keyId: scope.keyId, endpoint: '/v1/completions' };
    const prompts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt;
    const id = `cmpl-${randomToken(24)}`;
    const created = Math.floor(Date.now() / 1000);
    const signal = requestSignal(c);
    const guardrails = await guardrailsFor(c, services, scope);

    if (body.stream) {
      const { request, warnings } = completionRequestFromOpenAI(body, prompts[0]!, signal);
      if (prompts.length > 1)
        warnings.push({
          type: 'unsupported-setting',
          setting: 'prompt',
          message: 'Streaming completes the first prompt only.',
        });
      if (guardrails) request.guardrails = guardrails;
      const outcome = await services.generation.stream(request, context);
      rejectBlocked(outcome.guardrails);
      const allWarnings = [...warnings, ...outcome.warnings];
      const includeUsage = body.stream_options?.include_usage === true;
      const head = `{"id":"${id}","object":"text_completion","created":${created},"model":${JSON.stringify(body.model)},"system_fingerprint":null`;
      async function* events(): AsyncGenerator<string> {
        if (body.echo)
          yield `data: ${head},"choices":[{"index":0,"text":${JSON.stringify(prompts[0])},"logprobs":null,"finish_reason":null}]}\n\n`;
        let first = true;
        for await (const part of outcome.stream) {
          if (part.type === 'text-delta') {
            const extra = first && allWarnings.length ? `,"warnings":${JSON.stringify(allWarnings)}` : '';
            first = false;
            yield `data: ${head},"choices":[{"index":0,"text":${JSON.stringify(part.text)},"logprobs":null,"finish_reason":null}]${extra}}\n\n`;
          } else if (part.type === 'finish') {
            const usage = includeUsage
              ? `,"usage":${JSON.stringify({ prompt_tokens: part.usage.inputTokens, completion_tokens: part.usage.outputTokens, total_tokens: part.usage.inputTokens + part.usage.outputTokens })}`
              : '';
            yield `data: ${head},"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"${openAIFinishReason(part.finishReason)}"}]${usage}}\n\n`;
          } else if (part.type === 'error') {
            yield `data: ${JSON.stringify({ error: { message: part.error.message, type: 'api_error', param: null, code: part.error.code } })}\n\n`;
            break;
          }
        }
        yield 'data: [DONE]\n\n';
      }
      return sse(events());
    }

    const n = body.n ?? 1;
    const choices: { index: number; text: string; finish_reason: string; logprobs: null }[] = [];
    let inputTokens = 0;
    let outputTokens = 0;
    let warnings: ReturnType<typeof completionRequestFromOpenAI>['warnings'] = [];
    for (const prompt of prompts) {
      for (let i = 0; i < n; i++) {
        const prepared = completionRequestFromOpenAI(body, prompt, signal);
        if (i > 0 && prepared.request.parameters?.randomSeed !== undefined)
          prepared.request.parameters.randomSeed += i;
        if (guardrails) prepared.request.guardrails = guardrails;
        const outcome = await services.generation.generate(prepared.request, context);
        rejectBlocked(outcome.guardrails);
        if (choices.length === 0) warnings = [...prepared.warnings, ...outcome.warnings];
        choices.push({
          index: choices.length,
          text: body.echo ? prompt + outcome.text : outcome.text,
          finish_reason: openAIFinishReason(outcome.finishReason),
          logprobs: null,
        });
        if (i === 0) inputTokens += outcome.usage.inputTokens;
        outputTokens += outcome.usage.outputTokens;
      }
    }
    return json({
      id,
      object: 'text_completion',
      created,
      model: body.model,
      choices,
      usage: {
        prompt_tokens: inputTokens,
        completion_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
      system_fingerprint: null,
      ...openAIWarnings(warnings),
    });
  });
}
