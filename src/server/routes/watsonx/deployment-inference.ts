/**
 * @module server/routes/watsonx/deployment-inference
 * Inference on a deployment in watsonx's shape: `POST /ml/v1/deployments/{id_or_name}/text/generation`,
 * `/text/generation_stream`, `/text/chat` and `/text/chat_stream`, so the SDK's
 * deploymentGenerateText(+Stream) and deploymentsTextChat(+Stream) work unchanged. Generation
 * takes the template's values in `parameters.prompt_variables`; chat fills `context` and the first
 * required variable still open from the last user message (or `prompt_variables` in the body).
 * Every request runs as Prompt Lab runs it (or as the collection's ask); the
 * `X-Keel-Deployment-Version` header says which version served. Keel's `attributes` in the body
 * (a protected attribute, as `/api/v1/deployments/{id}/invoke` takes them) go into the request log
 * for fairness monitors, streamed or not.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { callAttributesSchema } from '../../../api/deployments.js';
import type { RunEvent } from '../../../api/prompts.js';
import { chatMessageSchema, moderationsSchema, textGenParametersSchema } from '../../../api/watsonx.js';
import { randomToken } from '../../../core/ids.js';
import type { InvokeResult, InvokeStream } from '../../../deployments/index.js';
import { VERSION_HEADER } from '../../../deployments/index.js';
import { withCallAttributes } from '../../../deployments/ledger/index.js';
import type { AskEvent } from '../../../rag/index.js';
import type { FinishReason } from '../../../spec/language-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json, sse } from '../../respond.js';
import { systemWarnings, watsonxChatFinishReason, watsonxStopReason } from './mapping.js';
import { watsonxCaller, watsonxDeploymentErrors } from './spaces.js';

const tags = ['watsonx.ai-compatible'];
const params = z.object({ id_or_name: z.string().min(1).max(200) });
const query = z.looseObject({ version: z.string().optional() });

const generationBody = z.looseObject({
  input: z.string().optional(),
  parameters: textGenParametersSchema
    .extend({ prompt_variables: z.record(z.string(), z.unknown()).optional() })
    .optional(),
  moderations: moderationsSchema.optional(),
  attributes: callAttributesSchema.optional(),
});
const chatBody = z.looseObject({
  messages: z.array(chatMessageSchema).min(1),
  context: z.string().optional(),
  prompt_variables: z.record(z.string(), z.unknown()).optional().describe('Keel: values for the template'),
  attributes: callAttributesSchema.optional(),
});

const route = (path: string, summary: string, schema: z.ZodType, stream: boolean) =>
  createRoute({
    method: 'post',
    path,
    tags,
    summary,
    request: { params, query, body: { required: true, content: { 'application/json': { schema } } } },
    responses: {
      200: {
        description: stream ? 'Server-sent events' : 'The answer',
        content: stream
          ? { 'text/event-stream': { schema: z.string() } }
          : { 'application/json': { schema: z.looseObject({}) } },
      },
      ...watsonxDeploymentErrors,
    },
  });

const routes = {
  generation: route(
    '/ml/v1/deployments/{id_or_name}/text/generation',
    'Infer text on a deployment',
    generationBody,
    false,
  ),
  generationStream: route(
    '/ml/v1/deployments/{id_or_name}/text/generation_stream',
    'Infer text event stream on a deployment',
    generationBody,
    true,
  ),
  chat: route('/ml/v1/deployments/{id_or_name}/text/chat', 'Chat on a deployment', chatBody, false),
  chatStream: route(
    '/ml/v1/deployments/{id_or_name}/text/chat_stream',
    'Chat event stream on a deployment',
    chatBody,
    true,
  ),
};

/** The caller, in the deployment's own project when it is named by id (else the key's, or X-Keel-Project). */
async function inferenceCaller(c: Context<KeelEnv>, services: KeelServices, idOrName: string) {
  const projectId = (await services.deployments.projectOf(idOrName)) ?? undefined;
  return watsonxCaller(c, services, 'invoke', { projectId });
}

interface Outcome {
  model: string;
  text: string;
  inputTokens: number;
  outputTokens: number;
  finishReason: FinishReason;
  warnings: CallWarning[];
}

function outcomeOf(result: InvokeResult): Outcome {
  if (result.kind === 'prompt_template') {
    const run = result.run;
    return {
      model: run.model,
      text: run.output,
      inputTokens: run.usage.input_tokens,
      outputTokens: run.usage.output_tokens,
      finishReason: (run.finish_reason ?? 'eos_token') as FinishReason,
      warnings: run.warnings.map((warning) => ({ type: 'other', message: warning.message })),
    };
  }
  const answer = result.answer;
  return {
    model: answer.model ?? '',
    text: answer.answer,
    inputTokens: answer.usage.input_tokens,
    outputTokens: answer.usage.output_tokens,
    finishReason: 'eos_token',
    warnings: answer.warnings.map((warning) => ({ type: 'other', message: warning.message })),
  };
}

type StreamPart =
  | { type: 'delta'; text: string }
  | { type: 'done'; outcome: Outcome }
  | { type: 'error'; code: string; message: string; status: number };

/** One vocabulary for Prompt Lab's run events and RAG ask's events. */
async function* partsOf(started: InvokeStream): AsyncGenerator<StreamPart> {
  if (started.kind === 'prompt_template') {
    for await (const event of started.events as AsyncGenerator<RunEvent>) {
      if (event.type === 'delta') yield { type: 'delta', text: event.text };
      else if (event.type === 'result')
        yield {
          type: 'done',
          outcome: outcomeOf({ served: started.served, kind: 'prompt_template', run: event.run }),
        };
      else if (event.type === 'error') yield { type: 'error', ...event.error };
    }
    return;
  }
  for await (const event of started.events as AsyncGenerator<AskEvent>) {
    if (event.type === 'delta') yield { type: 'delta', text: event.text };
    else if (event.type === 'result')
      yield {
        type: 'done',
        outcome: outcomeOf({ served: started.served, kind: 'rag_collection', answer: event.result }),
      };
  }
}

function ignoredWarnings(body: { input?: string | undefined; moderations?: unknown }): CallWarning[] {
  const warnings: CallWarning[] = [];
  if (body.input !== undefined)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'input',
      message: 'A deployment renders its template: `input` is ignored (use parameters.prompt_variables).',
    });
  if (body.moderations !== undefined)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'moderations',
      message: "A deployment applies its template's guardrail policy: `moderations` is ignored.",
    });
  return warnings;
}

export function registerDeploymentInference(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { deployments } = services;

  const start = async (
    c: Context<KeelEnv>,
    idOrName: string,
    variables: Record<string, unknown> | undefined,
    parameters: Record<string, unknown> | undefined,
    endpoint: string,
  ) => {
    const caller = await inferenceCaller(c, services, idOrName);
    return { caller, input: { variables, parameters, requestId: c.get('requestId'), endpoint } };
  };

  app.openapi(routes.generation, async (c) => {
    const idOrName = c.req.valid('param').id_or_name;
    const body = c.req.valid('json') as z.infer<typeof generationBody>;
    const { prompt_variables: variables, ...parameters } = body.parameters ?? {};
    const { caller, input } = await start(
      c,
      idOrName,
      variables,
      parameters,
      '/ml/v1/deployments/text/generation',
    );
    const result = await withCallAttributes(body.attributes, () =>
      deployments.invoke(caller, idOrName, input),
    );
    const outcome = outcomeOf(result);
    return json(
      {
        model_id: outcome.model,
        created_at: new Date().toISOString(),
        results: [
          {
            generated_text: outcome.text,
            generated_token_count: outcome.outputTokens,
            input_token_count: outcome.inputTokens,
            stop_reason: watsonxStopReason(outcome.finishReason),
          },
        ],
        deployment: { id: result.served.deployment.id, version: result.served.version.version },
        ...systemWarnings([...ignoredWarnings(body), ...outcome.warnings]),
      },
      200,
      { [VERSION_HEADER]: String(result.served.version.version) },
    );
  });

  app.openapi(routes.generationStream, async (c) => {
    const idOrName = c.req.valid('param').id_or_name;
    const body = c.req.valid('json') as z.infer<typeof generationBody>;
    const { prompt_variables: variables, ...parameters } = body.parameters ?? {};
    const { caller, input } = await start(
      c,
      idOrName,
      variables,
      parameters,
      '/ml/v1/deployments/text/generation_stream',
    );
    const started = await withCallAttributes(body.attributes, () =>
      deployments.stream(caller, idOrName, input),
    );
    const warnings = ignoredWarnings(body);
    const createdAt = JSON.stringify(new Date().toISOString());
    async function* events(): AsyncGenerator<string> {
      let id = 1;
      let generated = 0;
      let model = JSON.stringify(started.served.version.model ?? '');
      for await (const part of partsOf(started)) {
        if (part.type === 'delta') {
          generated++;
          const system =
            id === 1 && warnings.length ? `,"system":${JSON.stringify(systemWarnings(warnings).system)}` : '';
          yield `id: ${id++}\nevent: message\ndata: {"model_id":${model},"created_at":${createdAt},"results":[{"generated_text":${JSON.stringify(part.text)},"generated_token_count":${generated},"input_token_count":0,"stop_reason":"not_finished"}]${system}}\n\n`;
        } else if (part.type === 'done') {
          model = JSON.stringify(part.outcome.model);
          const result = {
            generated_text: '',
            generated_token_count: part.outcome.outputTokens,
            input_token_count: part.outcome.inputTokens,
            stop_reason: watsonxStopReason(part.outcome.finishReason),
          };
          yield `id: ${id++}\nevent: message\ndata: {"model_id":${model},"created_at":${createdAt},"results":[${JSON.stringify(result)}]}\n\n`;
        } else {
          yield `id: ${id++}\nevent: error\ndata: ${JSON.stringify({ errors: [{ code: part.code, message: part.message }], status_code: part.status })}\n\n`;
          break;
        }
      }
    }
    return sse(events(), { [VERSION_HEADER]: String(started.served.version.version) });
  });

  const chatStart = async (c: Context<KeelEnv>, endpoint: string) => {
    const idOrName = c.req.valid('param' as never) as unknown as { id_or_name: string };
    const body = c.req.valid('json' as never) as z.infer<typeof chatBody>;
    const caller = await inferenceCaller(c, services, idOrName.id_or_name);
    const requestId = c.get('requestId');
    const served = await deployments.prepare(caller.projectId, idOrName.id_or_name, requestId);
    const lastUser = [...body.messages].reverse().find((message) => message.role === 'user')?.content;
    const variables = await deployments.chatVariables(served, {
      lastUser: typeof lastUser === 'string' ? lastUser : undefined,
      context: body.context,
      given: body.prompt_variables,
    });
    const raw = body as Record<string, unknown>;
    const parameters = {
      max_new_tokens: raw.max_tokens ?? raw.max_completion_tokens,
      temperature: raw.temperature,
      top_p: raw.top_p,
      random_seed: raw.seed,
      stop_sequences: raw.stop,
      time_limit: raw.time_limit,
      repetition_penalty: raw.repetition_penalty,
    };
    return {
      caller,
      idOrName: idOrName.id_or_name,
      input: { variables, parameters, requestId, endpoint, served },
      attributes: body.attributes,
    };
  };

  app.openapi(routes.chat, async (c) => {
    const { caller, idOrName, input, attributes } = await chatStart(c, '/ml/v1/deployments/text/chat');
    const result = await withCallAttributes(attributes, () => deployments.invoke(caller, idOrName, input));
    const outcome = outcomeOf(result);
    const now = new Date();
    return json(
      {
        id: `chat-${randomToken(24)}`,
        model_id: outcome.model,
        model: outcome.model,
        created: Math.floor(now.getTime() / 1000),
        created_at: now.toISOString(),
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: outcome.text },
            finish_reason: watsonxChatFinishReason(outcome.finishReason, false),
          },
        ],
        usage: {
          completion_tokens: outcome.outputTokens,
          prompt_tokens: outcome.inputTokens,
          total_tokens: outcome.inputTokens + outcome.outputTokens,
        },
        deployment: { id: result.served.deployment.id, version: result.served.version.version },
        ...systemWarnings(outcome.warnings),
      },
      200,
      { [VERSION_HEADER]: String(result.served.version.version) },
    );
  });

  app.openapi(routes.chatStream, async (c) => {
    const { caller, idOrName, input, attributes } = await chatStart(c, '/ml/v1/deployments/text/chat_stream');
    const started = await withCallAttributes(attributes, () => deployments.stream(caller, idOrName, input));
    const now = new Date();
    const chatId = `chat-${randomToken(24)}`;
    async function* events(): AsyncGenerator<string> {
      let id = 1;
      let model = started.served.version.model ?? '';
      const head = () =>
        `"id":"${chatId}","model_id":${JSON.stringify(model)},"model":${JSON.stringify(model)},"created":${Math.floor(now.getTime() / 1000)},"created_at":"${now.toISOString()}"`;
      yield `id: ${id++}\nevent: message\ndata: {${head()},"choices":[{"index":0,"finish_reason":null,"delta":{"role":"assistant","content":""}}]}\n\n`;
      for await (const part of partsOf(started)) {
        if (part.type === 'delta') {
          yield `id: ${id++}\nevent: message\ndata: {${head()},"choices":[{"index":0,"finish_reason":null,"delta":{"content":${JSON.stringify(part.text)}}}]}\n\n`;
        } else if (part.type === 'done') {
          model = part.outcome.model;
          const usage = {
            completion_tokens: part.outcome.outputTokens,
            prompt_tokens: part.outcome.inputTokens,
            total_tokens: part.outcome.inputTokens + part.outcome.outputTokens,
          };
          const reason = watsonxChatFinishReason(part.outcome.finishReason, false);
          yield `id: ${id++}\nevent: message\ndata: {${head()},"choices":[{"index":0,"finish_reason":"${reason}","delta":{}}],"usage":${JSON.stringify(usage)}}\n\n`;
        } else {
          yield `id: ${id++}\nevent: error\ndata: ${JSON.stringify({ errors: [{ code: part.code, message: part.message }], status_code: part.status })}\n\n`;
          break;
        }
      }
    }
    return sse(events(), { [VERSION_HEADER]: String(started.served.version.version) });
  });
}
