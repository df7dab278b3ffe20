/**
 * @module server/routes/deployments/openai-deployment
 * The model id `deployment:<id or serving name>` on the OpenAI-compatible routes: the request
 * runs the deployment (Prompt Lab's run, or the collection's ask) instead of a bare model. The
 * template's values come from `prompt_variables` in the body (an extension), and the last user
 * message (or the completion prompt) fills the first required variable still open. Answers keep
 * OpenAI's shape; `X-Keel-Deployment-Version` says which version served.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { chatCompletionRequestSchema, completionRequestSchema } from '../../../api/openai.js';
import type { RunEvent } from '../../../api/prompts.js';
import { randomToken } from '../../../core/ids.js';
import { type InvokeResult, VERSION_HEADER } from '../../../deployments/index.js';
import type { AskEvent } from '../../../rag/index.js';
import type { FinishReason } from '../../../spec/language-model.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json, sse } from '../../respond.js';
import { openAIFinishReason } from '../openai/mapping.js';

export const DEPLOYMENT_MODEL_PREFIX = 'deployment:';

/** Whether a model id names a deployment. */
export function isDeploymentModel(model: string): boolean {
  return model.startsWith(DEPLOYMENT_MODEL_PREFIX);
}

type ChatBody = z.infer<typeof chatCompletionRequestSchema>;
type CompletionBody = z.infer<typeof completionRequestSchema>;

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
      .join('');
  return undefined;
}

function outputOf(result: InvokeResult) {
  if (result.kind === 'prompt_template') {
    const run = result.run;
    return {
      text: run.output,
      usage: run.usage,
      finish: (run.finish_reason ?? 'eos_token') as FinishReason,
    };
  }
  return { text: result.answer.answer, usage: result.answer.usage, finish: 'eos_token' as FinishReason };
}

/** Serves `/v1/chat/completions` or `/v1/completions` for a `deployment:` model. */
export async function deploymentCompletion(
  c: Context<KeelEnv>,
  services: KeelServices,
  body: ChatBody | CompletionBody,
  kind: 'chat' | 'completion',
): Promise<Response> {
  const { deployments } = services;
  const idOrName = body.model.slice(DEPLOYMENT_MODEL_PREFIX.length);
  const caller = callerOf(c, 'invoke');
  const requestId = c.get('requestId');
  const served = await deployments.prepare(caller.projectId, idOrName, requestId);
  const raw = body as Record<string, unknown>;
  const lastUser =
    kind === 'chat'
      ? textOf([...(body as ChatBody).messages].reverse().find((message) => message.role === 'user')?.content)
      : textOf((body as CompletionBody).prompt);
  const given =
    raw.prompt_variables && typeof raw.prompt_variables === 'object' ? raw.prompt_variables : undefined;
  const variables = await deployments.chatVariables(served, {
    lastUser,
    given: given as Record<string, unknown> | undefined,
  });
  const input = {
    variables,
    parameters: {
      max_new_tokens: body.max_tokens ?? (raw.max_completion_tokens as number | undefined),
      temperature: body.temperature,
      top_p: body.top_p,
      top_k: body.top_k,
      stop_sequences: typeof body.stop === 'string' ? [body.stop] : body.stop,
      random_seed: body.seed,
    },
    requestId,
    endpoint: kind === 'chat' ? '/v1/chat/completions' : '/v1/completions',
    served,
  };
  const headers = { [VERSION_HEADER]: String(served.version.version) };
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomToken(24)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = JSON.stringify(body.model);

  if (body.stream) {
    const started = await deployments.stream(caller, idOrName, input);
    const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const chunk = (delta: string, finish: string | null) =>
      kind === 'chat'
        ? `data: {"id":"${id}","object":"${object}","created":${created},"model":${model},"choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`
        : `data: {"id":"${id}","object":"${object}","created":${created},"model":${model},"choices":[{"index":0,"text":${delta},"finish_reason":${finish}}]}\n\n`;
    async function* events(): AsyncGenerator<string> {
      if (kind === 'chat') yield chunk('{"role":"assistant","content":""}', 'null');
      for await (const event of started.events as AsyncGenerator<RunEvent | AskEvent>) {
        if (event.type === 'delta') {
          yield chunk(
            kind === 'chat' ? `{"content":${JSON.stringify(event.text)}}` : JSON.stringify(event.text),
            'null',
          );
        } else if (event.type === 'result') {
          const finish =
            'run' in event ? ((event.run.finish_reason ?? 'eos_token') as FinishReason) : 'eos_token';
          yield chunk(kind === 'chat' ? '{}' : '""', `"${openAIFinishReason(finish)}"`);
        } else if (event.type === 'error') {
          yield `data: ${JSON.stringify({ error: { message: event.error.message, type: 'api_error', param: null, code: event.error.code } })}\n\n`;
          break;
        }
      }
      yield 'data: [DONE]\n\n';
    }
    return sse(events(), headers);
  }

  const result = await deployments.invoke(caller, idOrName, input);
  const output = outputOf(result);
  const usage = {
    prompt_tokens: output.usage.input_tokens,
    completion_tokens: output.usage.output_tokens,
    total_tokens: output.usage.input_tokens + output.usage.output_tokens,
  };
  const finish = openAIFinishReason(output.finish);
  return json(
    kind === 'chat'
      ? {
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: output.text },
              finish_reason: finish,
              logprobs: null,
            },
          ],
          usage,
          system_fingerprint: null,
        }
      : {
          id,
          object: 'text_completion',
          created,
          model: body.model,
          choices: [{ index: 0, text: output.text, finish_reason: finish, logprobs: null }],
          usage,
          system_fingerprint: null,
        },
    200,
    headers,
  );
}
