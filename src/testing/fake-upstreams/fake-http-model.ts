/**
 * @module testing/fake-upstreams/fake-http-model
 * A fake model endpoint of no standard shape, for the `http` provider: in the style of a Vertex or
 * SageMaker prediction route, `POST /predict` takes `{deployment, instances: [{prompt}], config:
 * {limit, halt}}` and answers `{predictions: [{content, stats: {tokens_in, tokens_out}}]}`.
 * Errors are `{"fault": {"reason": "…"}}`. It honours the limit and halt words as a real server
 * would; `answer` makes the text depend on the prompt (for evaluations that can fail), and
 * `token` requires an `x-api-token` header.
 *
 * @example
 * const endpoint = await startFakeHttpModel({ answer: (prompt) => prompt.toUpperCase() });
 */
import { generate, promptWords } from './fake-generation.js';
import {
  FakeState,
  type FakeUpstream,
  type FakeUpstreamOptions,
  sendBody,
  sendJson,
  startFakeServer,
} from './fake-server.js';

export interface FakeHttpModelOptions extends FakeUpstreamOptions {
  /** The answer to a prompt; default: the configured reply. */
  answer?: (prompt: string) => string;
  /** Require this value in the `x-api-token` header. */
  token?: string;
}

export const fakeHttpModelPath = '/predict';

/** The keel.yaml body template and response paths that speak to this fake. */
export const fakeHttpModelTemplate = {
  body: {
    deployment: '{{model}}',
    instances: [{ prompt: '{{input}}' }],
    config: { limit: '{{max_new_tokens}}', halt: '{{stop_sequences}}' },
  },
  response: {
    text: '$.predictions[0].content',
    inputTokens: 'predictions[0].stats.tokens_in',
    outputTokens: 'predictions[0].stats.tokens_out',
  },
};

export async function startFakeHttpModel(options: FakeHttpModelOptions = {}): Promise<FakeUpstream> {
  const state = new FakeState(options);
  const fault = (reason: string) => JSON.stringify({ fault: { reason } });
  return startFakeServer(state, async (request, response) => {
    const body = (request.body ?? {}) as {
      deployment?: string;
      instances?: { prompt?: unknown }[];
      config?: { limit?: number; halt?: string[] };
    };
    const model = String(body.deployment ?? '');
    const failure = state.failureFor(request.path, false, model);
    if (failure?.kind === 'status') {
      sendJson(
        response,
        failure.status,
        fault(failure.message ?? `The fake endpoint answered ${failure.status}.`),
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
      return;
    }
    if (request.method !== 'POST' || request.path !== fakeHttpModelPath) {
      sendJson(response, request.method === 'POST' ? 404 : 405, fault('no such route'));
      return;
    }
    if (state.options.token !== undefined && request.headers['x-api-token'] !== state.options.token) {
      sendJson(response, 403, fault('bad token'));
      return;
    }
    const prompt = body.instances?.[0]?.prompt;
    if (typeof prompt !== 'string') {
      sendJson(response, 400, fault('instances[0].prompt must be a string'));
      return;
    }
    const reply = state.options.answer ? state.options.answer(prompt) : state.reply;
    const result = generate(reply, { maxTokens: body.config?.limit, stop: body.config?.halt });
    const answer = {
      predictions: [
        { content: result.text, stats: { tokens_in: promptWords(prompt), tokens_out: result.outputTokens } },
      ],
      deployedModelId: model,
    };
    await sendBody(response, state, 200, JSON.stringify(answer), failure);
  });
}
