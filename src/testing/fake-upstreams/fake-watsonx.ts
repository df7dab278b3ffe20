/**
 * @module testing/fake-upstreams/fake-watsonx
 * A fake IBM watsonx.ai with its IAM token service on the same port: `POST /identity/token`
 * (form-encoded API key grant), and `?version=`-checked `/ml/v1/text/generation(_stream)`,
 * `/ml/v1/text/chat(_stream)` (SSE of `id:` / `event: message` / `data: {…}`; `event: error` for
 * failures), `/ml/v1/text/tokenization`, `/ml/v1/text/embeddings`, `/ml/v1/text/rerank` and
 * `/ml/v1/foundation_model_specs` (paged by `limit`/`start`). Errors are
 * `{errors: [{code, message}], trace, status_code}`.
 *
 * @example
 * const watsonx = await startFakeWatsonx({ apiKey: 'test-key', models: ['ibm/granite-3-8b-instruct'] });
 * // provider config: { baseURL: watsonx.url, iamURL: watsonx.url, apiKey: 'test-key', projectId: 'p1' }
 */
import type { ServerResponse } from 'node:http';
import {
  endsWithUser,
  fakeEmbedding,
  fakeRelevance,
  fakeTokens,
  generate,
  lastUserText,
  promptWords,
  sampleForSchema,
  splitInto,
} from './fake-generation.js';
import { FakeIam } from './fake-iam.js';
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

export interface FakeWatsonxOptions extends FakeUpstreamOptions {
  /** Lifetime of issued IAM tokens, seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** `model_limits.max_sequence_length`. Default 8192. */
  contextLength?: number;
  /** Largest page of foundation model specs, whatever `limit` asks for. Default 200. */
  specsPageSize?: number;
}

export interface FakeWatsonx extends FakeUpstream {
  /** IAM tokens issued so far. */
  readonly tokensIssued: number;
  /** Makes every token issued so far invalid, as if it expired. */
  revokeTokens(): void;
}

const createdAt = '2026-01-01T00:00:00.000Z';

function watsonxError(status: number, code: string, message: string): string {
  return JSON.stringify({
    errors: [{ code, message, more_info: 'https://cloud.ibm.com/apidocs/watsonx-ai' }],
    trace: 'fake-trace',
    status_code: status,
  });
}

export async function startFakeWatsonx(options: FakeWatsonxOptions = {}): Promise<FakeWatsonx> {
  const state = new FakeState(options);
  const languageModels = () => state.options.models ?? ['fake-model'];
  const embeddingModels = () => state.options.embeddingModels ?? ['fake-embed'];
  const rerankModels = () => state.options.rerankModels ?? ['fake-rerank'];
  const known = (model: string) =>
    languageModels().includes(model) ||
    embeddingModels().includes(model) ||
    rerankModels().includes(model) ||
    state.failsModel(model);
  const iam = new FakeIam();

  const upstream = await startFakeServer(state, async (request, response) => {
    if (request.path === '/identity/token')
      return iam.token(request, response, state.options.apiKey, state.options.tokenTtlSeconds ?? 3600);
    if (!request.query.version) {
      sendJson(response, 400, watsonxError(400, 'missing_version', 'Missing query parameter: version'));
      return;
    }
    if (state.options.apiKey !== undefined) {
      const header = request.headers.authorization;
      if (!iam.accepts(header)) {
        sendJson(
          response,
          401,
          header
            ? watsonxError(
                401,
                'authentication_token_expired',
                'Failed to authenticate the request due to an expired token',
              )
            : watsonxError(401, 'authorization_rejected', 'Failed to authorize the request: no bearer token'),
        );
        return;
      }
    }
    const listing = request.path === '/ml/v1/foundation_model_specs';
    const body = (request.body ?? {}) as Record<string, unknown>;
    const model = String(body.model_id ?? '');
    const failure = state.failureFor(request.path, listing, listing ? undefined : model);
    if (failure?.kind === 'status') {
      sendJson(
        response,
        failure.status,
        watsonxError(
          failure.status,
          failure.code ?? 'fake_failure',
          failure.message ?? `The fake upstream answered ${failure.status}.`,
        ),
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
      return;
    }
    if (listing) return sendBody(response, state, 200, specsBody(request), failure);
    if (!body.project_id && !body.space_id) {
      sendJson(
        response,
        400,
        watsonxError(400, 'json_validation_error', 'Either project_id or space_id must be specified.'),
      );
      return;
    }
    if (!known(model)) {
      sendJson(response, 404, watsonxError(404, 'model_not_supported', `Model '${model}' is not supported`));
      return;
    }
    switch (request.path) {
      case '/ml/v1/text/generation':
      case '/ml/v1/text/generation_stream':
        return generation(request, response, request.path.endsWith('_stream'), model, failure);
      case '/ml/v1/text/chat':
      case '/ml/v1/text/chat_stream':
        return chat(request, response, request.path.endsWith('_stream'), model, failure);
      case '/ml/v1/text/tokenization': {
        const pieces = fakeTokens(String(body.input ?? ''));
        const returnTokens = (body.parameters as { return_tokens?: boolean } | undefined)?.return_tokens;
        return sendBody(
          response,
          state,
          200,
          JSON.stringify({
            model_id: model,
            result: { token_count: pieces.length, ...(returnTokens ? { tokens: pieces } : {}) },
          }),
          failure,
        );
      }
      case '/ml/v1/text/embeddings':
        return sendBody(response, state, 200, embeddingsBody(body, model), failure);
      case '/ml/v1/text/rerank':
        return sendBody(response, state, 200, rerankBody(body, model), failure);
      default:
        sendJson(response, 404, watsonxError(404, 'not_found', `Unknown path ${request.path}`));
    }
  });

  function specsBody(request: FakeRequest): string {
    const all = [
      ...languageModels().map((id) => ({ id, functions: ['text_generation', 'text_chat'] })),
      ...embeddingModels().map((id) => ({ id, functions: ['embedding'] })),
      ...rerankModels().map((id) => ({ id, functions: ['rerank'] })),
    ];
    const limit = Math.min(
      state.options.specsPageSize ?? 200,
      Math.max(1, Number(request.query.limit ?? 100)),
    );
    const start = Math.max(0, Number(request.query.start ?? 0));
    const page = all.slice(start, start + limit);
    const base = `${upstream.url}/ml/v1/foundation_model_specs?version=${request.query.version}&limit=${limit}`;
    return JSON.stringify({
      total_count: all.length,
      limit,
      first: { href: base },
      ...(start + limit < all.length ? { next: { href: `${base}&start=${start + limit}` } } : {}),
      resources: page.map(({ id, functions }) => ({
        model_id: id,
        label: id.split('/').pop(),
        provider: 'Fake',
        source: 'Fake',
        functions: functions.map((fn) => ({ id: fn })),
        short_description: `The fake ${id}.`,
        input_tier: 'class_1',
        output_tier: 'class_1',
        number_params: '8b',
        model_limits: { max_sequence_length: state.options.contextLength ?? 8192 },
        lifecycle: [{ id: 'available', start_date: '2026-01-01' }],
      })),
    });
  }

  async function generation(
    request: FakeRequest,
    response: ServerResponse,
    stream: boolean,
    model: string,
    failure: FakeFailure | undefined,
  ) {
    const body = request.body as Record<string, unknown>;
    const p = (body.parameters ?? {}) as Record<string, unknown>;
    const result = generate(state.reply, {
      maxTokens: p.max_new_tokens as number | undefined,
      stop: p.stop_sequences as string[] | undefined,
      // watsonx keeps the matched stop sequence unless told otherwise.
      includeStop: p.include_stop_sequence !== false,
    });
    const inputTokens = promptWords(body.input);
    const stopReason =
      result.reason === 'length' ? 'max_tokens' : result.reason === 'stop' ? 'stop_sequence' : 'eos_token';
    const seed =
      p.decoding_method === 'sample' && typeof p.random_seed === 'number' ? { seed: p.random_seed } : {};
    const head = { model_id: model, model_version: '1.0.0', created_at: createdAt };
    if (!stream) {
      const final = {
        generated_text: result.text,
        generated_token_count: result.outputTokens,
        input_token_count: inputTokens,
        stop_reason: stopReason,
        ...seed,
      };
      return sendBody(response, state, 200, JSON.stringify({ ...head, results: [final] }), failure);
    }
    const key = `gen|${model}|${JSON.stringify(p)}|${inputTokens}`;
    const frames = state.frames(key, () => {
      const out: string[] = [];
      let generated = 0;
      const event = (result: Record<string, unknown>) =>
        `id: ${out.length + 1}\nevent: message\ndata: ${JSON.stringify({ ...head, results: [result] })}\n\n`;
      for (const piece of splitInto(result.text, state.options.chunks)) {
        generated += fakeTokens(piece).length || 1;
        out.push(
          event({
            generated_text: piece,
            generated_token_count: generated,
            input_token_count: inputTokens,
            stop_reason: 'not_finished',
          }),
        );
      }
      out.push(
        event({
          generated_text: '',
          generated_token_count: result.outputTokens,
          input_token_count: inputTokens,
          stop_reason: stopReason,
          ...seed,
        }),
      );
      return out;
    });
    return sendStream(response, state, sseErrorPlan(frames), failure);
  }

  async function chat(
    request: FakeRequest,
    response: ServerResponse,
    stream: boolean,
    model: string,
    failure: FakeFailure | undefined,
  ) {
    const body = request.body as Record<string, unknown>;
    const tools = body.tools as { function: { name: string } }[] | undefined;
    const named = (body.tool_choice as { function?: { name?: string } } | undefined)?.function?.name;
    const toolCall =
      tools?.length && body.tool_choice_option !== 'none' && endsWithUser(body.messages)
        ? {
            id: 'chatcmpl-tool-fake',
            type: 'function',
            function: {
              name: named ?? tools[0]!.function.name,
              arguments: JSON.stringify({ query: lastUserText(body.messages) }),
            },
          }
        : undefined;
    const format = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
    const reply =
      format?.type === 'json_schema'
        ? JSON.stringify(
            sampleForSchema(format.json_schema?.schema, fakeTokens(state.reply)[0]?.trim() ?? ''),
          )
        : format?.type === 'json_object'
          ? JSON.stringify({ text: state.reply })
          : state.reply;
    const result = generate(reply, {
      maxTokens: body.max_tokens as number | undefined,
      stop: body.stop as string[] | undefined,
    });
    const promptTokens = promptWords(body.messages);
    const finishReason = toolCall ? 'tool_calls' : result.reason === 'length' ? 'length' : 'stop';
    const completionTokens = toolCall ? 1 : result.outputTokens;
    const usage = {
      completion_tokens: completionTokens,
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const head = {
      id: 'chatcmpl-fake',
      model_id: model,
      model,
      created: 1_700_000_000,
      model_version: '1.0.0',
      created_at: createdAt,
    };
    if (!stream) {
      const message = {
        role: 'assistant',
        content: toolCall ? '' : result.text,
        ...(toolCall ? { tool_calls: [toolCall] } : {}),
      };
      return sendBody(
        response,
        state,
        200,
        JSON.stringify({
          ...head,
          object: 'chat.completion',
          choices: [{ index: 0, message, finish_reason: finishReason }],
          usage,
        }),
        failure,
      );
    }
    const key = `chat|${model}|${reply}|${String(body.max_tokens)}|${JSON.stringify(body.stop)}|${promptTokens}|${toolCall?.function.arguments}`;
    const frames = state.frames(key, () => {
      const out: string[] = [];
      const event = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        `id: ${out.length + 1}\nevent: message\ndata: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: null, ...choice }], ...extra })}\n\n`;
      out.push(event({ delta: { role: 'assistant', content: '' } }));
      if (toolCall) out.push(event({ delta: { tool_calls: [{ index: 0, ...toolCall }] } }));
      else
        for (const piece of splitInto(result.text, state.options.chunks))
          out.push(event({ delta: { content: piece } }));
      out.push(event({ delta: {}, finish_reason: finishReason }, { usage }));
      return out;
    });
    return sendStream(response, state, sseErrorPlan(frames), failure);
  }

  function sseErrorPlan(frames: string[]) {
    return {
      contentType: 'text/event-stream',
      frames,
      errorFrame: (message: string) =>
        `id: ${frames.length + 1}\nevent: error\ndata: ${watsonxError(500, 'internal_error', message)}\n\n`,
    };
  }

  function embeddingsBody(body: Record<string, unknown>, model: string): string {
    const inputs = (body.inputs as string[] | undefined) ?? [];
    const dimensions = state.options.embeddingDimensions ?? 8;
    return JSON.stringify({
      model_id: model,
      results: inputs.map((input) => ({ embedding: fakeEmbedding(input, dimensions) })),
      created_at: createdAt,
      input_token_count: inputs.reduce((sum, input) => sum + promptWords(input), 0),
    });
  }

  function rerankBody(body: Record<string, unknown>, model: string): string {
    const query = String(body.query ?? '');
    const inputs = ((body.inputs as { text: string }[] | undefined) ?? []).map((input) => input.text);
    const topN = (body.parameters as { return_options?: { top_n?: number } } | undefined)?.return_options
      ?.top_n;
    let results = inputs
      .map((text, index) => ({ index, score: fakeRelevance(query, text) }))
      .sort((a, b) => b.score - a.score);
    if (topN !== undefined) results = results.slice(0, topN);
    return JSON.stringify({
      model_id: model,
      results,
      created_at: createdAt,
      input_token_count: promptWords(query) + inputs.reduce((sum, text) => sum + promptWords(text), 0),
    });
  }

  return Object.defineProperties(upstream, {
    tokensIssued: { get: () => iam.issued, enumerable: true },
    revokeTokens: { value: () => iam.revokeAll(), enumerable: true },
  }) as FakeWatsonx;
}
