/**
 * @module testing/fake-upstreams/fake-ollama
 * A fake Ollama server speaking its native API: `/api/chat` and `/api/generate` as one JSON object
 * or as NDJSON (`application/x-ndjson`, one object per line, the last with `done: true` and the
 * token counts), `/api/embed`, `/api/tags`, `/api/show` (capabilities and context length) and
 * `/api/version`. Errors are `{"error": "…"}`, as Ollama sends them.
 *
 * @example
 * const ollama = await startFakeOllama({ models: ['granite3.3:2b'], chunkDelayMs: 5 });
 */
import type { ServerResponse } from 'node:http';
import {
  endsWithUser,
  fakeEmbedding,
  fakeTokens,
  generate,
  lastUserText,
  promptWords,
  sampleForSchema,
  splitInto,
} from './fake-generation.js';
import {
  type FakeFailure,
  type FakeRequest,
  FakeState,
  type FakeUpstream,
  type FakeUpstreamOptions,
  sendBody,
  sendJson,
  sendStream,
  startFakeServer,
} from './fake-server.js';

export interface FakeOllamaOptions extends FakeUpstreamOptions {
  /** `<architecture>.context_length` in `/api/show`. Default 4096. */
  contextLength?: number;
}

const createdAt = '2026-01-01T00:00:00.000000Z';

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeUpstream> {
  const state = new FakeState(options);
  const languageModels = () => state.options.models ?? ['fake-model'];
  const embeddingModels = () => state.options.embeddingModels ?? ['fake-embed'];
  const known = (model: string) =>
    languageModels().includes(model) || embeddingModels().includes(model) || state.failsModel(model);
  const error = (message: string) => JSON.stringify({ error: message });

  return startFakeServer(state, async (request, response) => {
    const exempt =
      request.path === '/api/tags' || request.path === '/api/show' || request.path === '/api/version';
    const body = (request.body ?? {}) as Record<string, unknown>;
    const model = String(body.model ?? body.name ?? '');
    const failure = state.failureFor(request.path, exempt, request.path === '/api/show' ? undefined : model);
    if (failure?.kind === 'status') {
      sendJson(
        response,
        failure.status,
        error(failure.message ?? `The fake upstream answered ${failure.status}.`),
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
      return;
    }
    if (request.method === 'POST' && !known(model)) {
      sendJson(response, 404, error(`model "${model}" not found, try pulling it first`));
      return;
    }
    switch (request.path) {
      case '/api/version':
        return sendBody(response, state, 200, '{"version":"0.12.6"}', failure);
      case '/api/tags':
        return sendBody(response, state, 200, tagsBody(), failure);
      case '/api/show':
        return sendBody(response, state, 200, showBody(model), failure);
      case '/api/chat':
      case '/api/generate':
        return answer(request, response, request.path === '/api/chat', model, failure);
      case '/api/embed':
        return sendBody(response, state, 200, embedBody(body, model), failure);
      default:
        sendJson(response, 404, '404 page not found');
    }
  });

  function tagsBody(): string {
    const entry = (name: string, embedding: boolean) => ({
      name,
      model: name,
      modified_at: createdAt,
      size: 1_234_567,
      digest: 'f'.repeat(64),
      details: {
        parent_model: '',
        format: 'gguf',
        family: embedding ? 'nomic-bert' : 'llama',
        families: [embedding ? 'nomic-bert' : 'llama'],
        parameter_size: embedding ? '137M' : '3.3B',
        quantization_level: 'Q4_K_M',
      },
    });
    return JSON.stringify({
      models: [
        ...languageModels().map((name) => entry(name, false)),
        ...embeddingModels().map((name) => entry(name, true)),
      ],
    });
  }

  function showBody(model: string): string {
    const embedding = embeddingModels().includes(model);
    const architecture = embedding ? 'nomic-bert' : 'llama';
    return JSON.stringify({
      license: '',
      modelfile: `FROM ${model}`,
      parameters: '',
      template: '{{ .Prompt }}',
      details: { format: 'gguf', family: architecture, families: [architecture] },
      model_info: {
        'general.architecture': architecture,
        [`${architecture}.context_length`]: state.options.contextLength ?? 4096,
      },
      capabilities: embedding ? ['embedding'] : ['completion', 'tools'],
      modified_at: createdAt,
    });
  }

  async function answer(
    request: FakeRequest,
    response: ServerResponse,
    chat: boolean,
    model: string,
    failure: FakeFailure | undefined,
  ) {
    const body = request.body as Record<string, unknown>;
    const stream = body.stream !== false;
    const modelOptions = (body.options ?? {}) as { num_predict?: number; stop?: string[] };
    const tools = body.tools as { function: { name: string } }[] | undefined;
    const toolCall =
      chat && tools?.length && endsWithUser(body.messages)
        ? { function: { name: tools[0]!.function.name, arguments: { query: lastUserText(body.messages) } } }
        : undefined;
    const format = body.format;
    const reply =
      format === 'json'
        ? JSON.stringify({ text: state.reply })
        : typeof format === 'object' && format !== null
          ? JSON.stringify(sampleForSchema(format, fakeTokens(state.reply)[0]?.trim() ?? ''))
          : state.reply;
    const result = generate(reply, { maxTokens: modelOptions.num_predict, stop: modelOptions.stop });
    const promptTokens = promptWords(chat ? body.messages : body.prompt);
    const doneReason = result.reason === 'length' ? 'length' : 'stop';
    const counts = {
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: 200_000,
      eval_count: toolCall ? 1 : result.outputTokens,
      eval_duration: 700_000,
    };
    const head = { model, created_at: createdAt };
    if (!stream) {
      const whole = chat
        ? {
            ...head,
            message: {
              role: 'assistant',
              content: toolCall ? '' : result.text,
              ...(toolCall ? { tool_calls: [toolCall] } : {}),
            },
            done_reason: doneReason,
            done: true,
            ...counts,
          }
        : {
            ...head,
            response: result.text,
            done: true,
            done_reason: doneReason,
            context: [1, 2, 3],
            ...counts,
          };
      return sendBody(response, state, 200, JSON.stringify(whole), failure);
    }
    const key = `${chat}|${model}|${reply}|${modelOptions.num_predict}|${modelOptions.stop?.join('\u0000')}|${promptTokens}|${toolCall?.function.arguments.query}`;
    const frames = state.frames(key, () => {
      const prefix = `{"model":${JSON.stringify(model)},"created_at":"${createdAt}",`;
      const out: string[] = [];
      if (toolCall) {
        out.push(
          `${prefix}"message":${JSON.stringify({ role: 'assistant', content: '', tool_calls: [toolCall] })},"done":false}\n`,
        );
      } else {
        for (const piece of splitInto(result.text, state.options.chunks)) {
          out.push(
            chat
              ? `${prefix}"message":{"role":"assistant","content":${JSON.stringify(piece)}},"done":false}\n`
              : `${prefix}"response":${JSON.stringify(piece)},"done":false}\n`,
          );
        }
      }
      const tail = JSON.stringify({ done_reason: doneReason, done: true, ...counts }).slice(1);
      out.push(
        chat
          ? `${prefix}"message":{"role":"assistant","content":""},${tail}\n`
          : `${prefix}"response":"","context":[1,2,3],${tail}\n`,
      );
      return out;
    });
    return sendStream(
      response,
      state,
      {
        contentType: 'application/x-ndjson',
        frames,
        errorFrame: (message) => `${error(message)}\n`,
      },
      failure,
    );
  }

  function embedBody(body: Record<string, unknown>, model: string): string {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? '')];
    const dimensions = state.options.embeddingDimensions ?? 8;
    return JSON.stringify({
      model,
      embeddings: inputs.map((input) => fakeEmbedding(input, dimensions)),
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: inputs.reduce((sum, input) => sum + promptWords(input), 0),
    });
  }
}
