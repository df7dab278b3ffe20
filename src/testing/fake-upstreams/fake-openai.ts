/**
 * @module testing/fake-upstreams/fake-openai
 * A fake OpenAI-compatible server speaking the real wire format: `/v1/chat/completions` and
 * `/v1/completions` as JSON or SSE (`data: {…}` frames, a usage frame when
 * `stream_options.include_usage` is set, then `data: [DONE]`), `/v1/embeddings` (float or base64),
 * `/v1/models`, Azure's `/openai/deployments/<name>/…?api-version=`, and with `flavour: 'vllm'`
 * vLLM's extras: `stop_reason`, `include_stop_str_in_output`, `/tokenize` and `/v1/rerank`
 * (`/tokenize` also answers llama.cpp-server and TGI request shapes).
 *
 * @example
 * const upstream = await startFakeOpenAI({ reply: 'Hi there', chunks: 20 });
 * // … point a provider at `${upstream.url}/v1` …
 * await upstream.close();
 */
import type { ServerResponse } from 'node:http';
import {
  endsWithUser,
  fakeEmbedding,
  fakeRelevance,
  fakeTokenId,
  fakeTokens,
  generate,
  lastUserText,
  promptWords,
  sampleForSchema,
  splitInto,
} from './fake-generation.js';
import {
  credentialOf,
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

export interface FakeOpenAIOptions extends FakeUpstreamOptions {
  /**
   * Which server to be. `vllm` adds `stop_reason`, `include_stop_str_in_output`, `max_model_len`,
   * `/tokenize` and `/v1/rerank`; `llamacpp-server` adds `/tokenize` and `/v1/rerank`; `tgi` adds
   * `/tokenize`. Default `openai`.
   */
  flavour?: 'openai' | 'vllm' | 'llamacpp-server' | 'tgi';
  /** Reported as `max_model_len` with the vllm flavour. Default 4096. */
  contextLength?: number;
}

const created = 1_700_000_000;

function openAIError(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeUpstream> {
  const state = new FakeState(options);
  const flavour = options.flavour ?? 'openai';
  const vllm = flavour === 'vllm';
  const tokenizes = flavour !== 'openai';
  const reranks = vllm || flavour === 'llamacpp-server';
  const languageModels = () => state.options.models ?? ['fake-model'];
  const embeddingModels = () => state.options.embeddingModels ?? ['fake-embed'];
  const rerankModels = () => state.options.rerankModels ?? ['fake-rerank'];
  const known = (model: string) =>
    languageModels().includes(model) ||
    embeddingModels().includes(model) ||
    rerankModels().includes(model) ||
    state.failsModel(model);

  function failWith(response: ServerResponse, failure: Extract<FakeFailure, { kind: 'status' }>) {
    sendJson(
      response,
      failure.status,
      openAIError(
        failure.message ?? `The fake upstream answered ${failure.status}.`,
        failure.status >= 500 ? 'server_error' : 'invalid_request_error',
        failure.code ?? null,
      ),
      failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
    );
  }

  return startFakeServer(state, async (request, response) => {
    const azure = /^\/openai\/deployments\/([^/]+)\/(.+)$/.exec(request.path);
    const route = azure ? `/v1/${azure[2]}` : request.path.replace(/^\/openai\/models$/, '/v1/models');
    if (request.path.startsWith('/openai/') && !request.query['api-version']) {
      sendJson(
        response,
        404,
        openAIError('Resource not found (api-version is missing).', 'invalid_request_error', '404'),
      );
      return;
    }
    if (route === '/health') {
      sendJson(response, 200, '{}');
      return;
    }
    if (state.options.apiKey !== undefined) {
      const credential = credentialOf(request.headers);
      if (credential !== state.options.apiKey) {
        sendJson(
          response,
          401,
          openAIError(
            `Incorrect API key provided: ${credential ?? '(none)'}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
        return;
      }
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const model = azure ? decodeURIComponent(azure[1]!) : String(body.model ?? '');
    const failure = state.failureFor(request.path, route === '/v1/models', model);
    if (failure?.kind === 'status') {
      failWith(response, failure);
      return;
    }
    if (request.method === 'POST' && route !== '/tokenize' && !known(model)) {
      sendJson(
        response,
        404,
        azure
          ? JSON.stringify({
              error: {
                code: 'DeploymentNotFound',
                message: 'The API deployment for this resource does not exist.',
              },
            })
          : openAIError(
              `The model \`${model}\` does not exist or you do not have access to it.`,
              'invalid_request_error',
              'model_not_found',
            ),
      );
      return;
    }
    switch (route) {
      case '/v1/models':
        return sendBody(response, state, 200, modelsBody(), failure);
      case '/v1/chat/completions':
      case '/v1/completions':
        return completion(request, response, route === '/v1/chat/completions', model, failure);
      case '/v1/embeddings':
        return sendBody(response, state, 200, embeddingsBody(body, model), failure);
      case '/v1/rerank':
      case '/rerank':
        if (reranks) return sendBody(response, state, 200, rerankBody(body, model), failure);
        break;
      case '/tokenize':
        if (tokenizes) return sendBody(response, state, 200, tokenizeBody(body), failure);
        break;
    }
    sendJson(response, 404, openAIError(`Unknown path ${request.path}`, 'invalid_request_error', null));
  });

  function modelsBody(): string {
    const entry = (id: string) => ({
      id,
      object: 'model',
      created,
      owned_by: 'fake',
      ...(vllm ? { max_model_len: state.options.contextLength ?? 4096 } : {}),
    });
    return JSON.stringify({
      object: 'list',
      data: [...languageModels(), ...embeddingModels(), ...(reranks ? rerankModels() : [])].map(entry),
    });
  }

  async function completion(
    request: FakeRequest,
    response: ServerResponse,
    chat: boolean,
    model: string,
    failure: FakeFailure | undefined,
  ) {
    const body = request.body as Record<string, unknown>;
    const stream = body.stream === true;
    const includeUsage =
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const stop = typeof body.stop === 'string' ? [body.stop] : (body.stop as string[] | undefined);
    const maxTokens = (body.max_tokens ?? body.max_completion_tokens) as number | undefined;
    const includeStop = vllm && body.include_stop_str_in_output === true;
    const tools = body.tools as { function: { name: string } }[] | undefined;
    const choice = body.tool_choice as string | { function?: { name?: string } } | undefined;
    const toolCall =
      chat && tools?.length && choice !== 'none' && endsWithUser(body.messages)
        ? {
            id: 'call_fake_1',
            name: (typeof choice === 'object' ? choice.function?.name : undefined) ?? tools[0]!.function.name,
            arguments: JSON.stringify({ query: lastUserText(body.messages) }),
          }
        : undefined;
    const format = body.response_format as
      | { type?: string; json_schema?: { schema?: unknown }; value?: unknown }
      | undefined;
    const answer = state.replyTo(
      chat ? lastUserText(body.messages) : typeof body.prompt === 'string' ? body.prompt : '',
    );
    const reply =
      format?.type === 'json_schema' || format?.type === 'json'
        ? JSON.stringify(
            sampleForSchema(
              format.json_schema?.schema ?? format.value,
              fakeTokens(state.reply)[0]?.trim() ?? '',
            ),
          )
        : format?.type === 'json_object'
          ? JSON.stringify({ text: answer })
          : answer;
    const promptTokens = promptWords(chat ? body.messages : body.prompt);
    const result = generate(reply, { maxTokens, stop, includeStop });
    const finishReason = toolCall ? 'tool_calls' : result.reason === 'length' ? 'length' : 'stop';
    const stopReason = vllm ? { stop_reason: result.stop ?? null } : {};
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: toolCall ? 1 : result.outputTokens,
      total_tokens: promptTokens + (toolCall ? 1 : result.outputTokens),
    };
    const id = chat ? 'chatcmpl-fake' : 'cmpl-fake';
    if (!stream) {
      const text = toolCall ? null : result.text;
      const message = {
        role: 'assistant',
        content: text,
        refusal: null,
        ...(toolCall
          ? {
              tool_calls: [
                {
                  id: toolCall.id,
                  type: 'function',
                  function: { name: toolCall.name, arguments: toolCall.arguments },
                },
              ],
            }
          : {}),
      };
      const answer = {
        id,
        object: chat ? 'chat.completion' : 'text_completion',
        created,
        model,
        choices: [
          chat
            ? { index: 0, message, logprobs: null, finish_reason: finishReason, ...stopReason }
            : { index: 0, text: result.text, logprobs: null, finish_reason: finishReason, ...stopReason },
        ],
        usage,
        system_fingerprint: null,
      };
      return sendBody(response, state, 200, JSON.stringify(answer), failure);
    }
    const key = `${chat}|${model}|${reply}|${maxTokens}|${stop?.join('\u0000')}|${includeStop}|${includeUsage}|${promptTokens}|${toolCall?.name}|${toolCall?.arguments}`;
    const frames = state.frames(key, () => {
      const head = `{"id":"${id}","object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`;
      const frame = (choices: string, tail = '') => `data: ${head}${choices}${tail}}\n\n`;
      const out: string[] = [];
      if (chat)
        out.push(
          frame(
            '[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]',
          ),
        );
      if (toolCall) {
        const start = {
          index: 0,
          id: toolCall.id,
          type: 'function',
          function: { name: toolCall.name, arguments: '' },
        };
        out.push(
          frame(
            `[{"index":0,"delta":{"tool_calls":[${JSON.stringify(start)}]},"logprobs":null,"finish_reason":null}]`,
          ),
        );
        const rest = { index: 0, function: { arguments: toolCall.arguments } };
        out.push(
          frame(
            `[{"index":0,"delta":{"tool_calls":[${JSON.stringify(rest)}]},"logprobs":null,"finish_reason":null}]`,
          ),
        );
      } else {
        for (const piece of splitInto(result.text, state.options.chunks)) {
          const text = JSON.stringify(piece);
          out.push(
            frame(
              chat
                ? `[{"index":0,"delta":{"content":${text}},"logprobs":null,"finish_reason":null}]`
                : `[{"index":0,"text":${text},"logprobs":null,"finish_reason":null}]`,
            ),
          );
        }
      }
      const last = {
        index: 0,
        ...(chat ? { delta: {} } : { text: '' }),
        logprobs: null,
        finish_reason: finishReason,
        ...stopReason,
      };
      out.push(frame(`[${JSON.stringify(last)}]`));
      if (includeUsage) out.push(frame('[]', `,"usage":${JSON.stringify(usage)}`));
      out.push('data: [DONE]\n\n');
      return out;
    });
    return sendStream(
      response,
      state,
      {
        contentType: 'text/event-stream; charset=utf-8',
        frames,
        errorFrame: (message) =>
          `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`,
      },
      failure,
    );
  }

  function embeddingsBody(body: Record<string, unknown>, model: string): string {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? '')];
    const dimensions = state.options.embeddingDimensions ?? 8;
    const base64 = body.encoding_format === 'base64';
    let tokens = 0;
    const data = inputs.map((input, index) => {
      tokens += promptWords(input);
      const vector = fakeEmbedding(input, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      };
    });
    return JSON.stringify({
      object: 'list',
      data,
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  function rerankBody(body: Record<string, unknown>, model: string): string {
    const query = String(body.query ?? '');
    const documents = ((body.documents as (string | { text: string })[] | undefined) ?? []).map((document) =>
      typeof document === 'string' ? document : document.text,
    );
    let results = documents
      .map((text, index) => ({ index, document: { text }, relevance_score: fakeRelevance(query, text) }))
      .sort((a, b) => b.relevance_score - a.relevance_score);
    if (typeof body.top_n === 'number') results = results.slice(0, body.top_n);
    const tokens =
      promptWords(query) * documents.length + documents.reduce((sum, text) => sum + promptWords(text), 0);
    return JSON.stringify({ id: 'rerank-fake', model, usage: { total_tokens: tokens }, results });
  }

  function tokenizeBody(body: Record<string, unknown>): string {
    // llama.cpp server: {content, with_pieces}; TGI: {inputs}; vLLM: {prompt, return_token_strs}.
    const text = String(body.prompt ?? body.content ?? body.inputs ?? '');
    const pieces = fakeTokens(text);
    const ids = pieces.map(fakeTokenId);
    if (body.content !== undefined) {
      return JSON.stringify({
        tokens: body.with_pieces ? pieces.map((piece, index) => ({ id: ids[index], piece })) : ids,
      });
    }
    if (body.inputs !== undefined) {
      let offset = 0;
      return JSON.stringify(
        pieces.map((piece, index) => {
          const start = offset;
          offset += piece.length;
          return { id: ids[index], text: piece, start, stop: offset };
        }),
      );
    }
    return JSON.stringify({
      count: ids.length,
      max_model_len: state.options.contextLength ?? 4096,
      tokens: ids,
      ...(body.return_token_strs ? { token_strs: pieces } : {}),
    });
  }
}
