/**
 * @module models/middleware/time-limit
 * `parameters.timeLimitMs`: the provider's stream runs under a deadline; when it expires the
 * provider is aborted and the call ends with `time_limit` and what was produced so far. A
 * non-streaming call with a time limit is served from the stream, so partial output survives.
 */
import { KeelError } from '../../core/errors.js';
import type {
  FinishReason,
  GenerateResult,
  LanguageModelCallOptions,
  StreamPart,
  StreamResult,
} from '../../spec/language-model.js';
import type { CallWarning } from '../../spec/warnings.js';
import type { LanguageModelMiddleware } from './model-middleware.js';

export function timeLimitMiddleware(): LanguageModelMiddleware {
  return {
    name: 'time-limit',
    async wrapGenerate({ options, doGenerate, doStream }) {
      const limit = options.parameters?.timeLimitMs;
      if (!limit) return doGenerate();
      return collect(await timedStream(doStream, options, limit));
    },
    wrapStream({ options, doStream }) {
      const limit = options.parameters?.timeLimitMs;
      if (!limit) return doStream();
      return timedStream(doStream, options, limit);
    },
  };
}

async function timedStream(
  doStream: (options: LanguageModelCallOptions) => Promise<StreamResult>,
  options: LanguageModelCallOptions,
  timeLimitMs: number,
): Promise<StreamResult> {
  const controller = new AbortController();
  const signal = options.abortSignal
    ? AbortSignal.any([options.abortSignal, controller.signal])
    : controller.signal;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new KeelError('timeout', 'time limit reached'));
  }, timeLimitMs);
  timer.unref?.();
  let result: StreamResult;
  try {
    result = await doStream({ ...options, abortSignal: signal });
  } catch (error) {
    clearTimeout(timer);
    if (timedOut)
      throw new KeelError(
        'timeout',
        `The model did not start answering within the time limit of ${timeLimitMs} ms.`,
      );
    throw error;
  }
  const inner = result.stream;
  async function* guarded(): AsyncGenerator<StreamPart> {
    let outputTokens = 0;
    let inputTokens = 0;
    try {
      for await (const part of inner) {
        if (timedOut) break;
        if (part.type === 'text-delta') outputTokens++;
        if (part.type === 'finish') inputTokens = part.usage.inputTokens;
        if (part.type === 'error' && timedOut) break;
        yield part;
        if (part.type === 'finish' || part.type === 'error') return;
      }
      if (timedOut) {
        // Token usage of an aborted call is not reported by providers; each streamed delta is at least one token.
        yield { type: 'finish', finishReason: 'time_limit', usage: { inputTokens, outputTokens } };
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }
  return { ...result, stream: guarded() };
}

/** Consumes a stream into a GenerateResult. */
export async function collect(result: StreamResult): Promise<GenerateResult> {
  let text = '';
  const toolCalls: GenerateResult['toolCalls'] = [];
  let finishReason: FinishReason = 'eos_token';
  let usage = { inputTokens: 0, outputTokens: 0 };
  let seed: number | undefined;
  for await (const part of result.stream) {
    if (part.type === 'text-delta') text += part.text;
    else if (part.type === 'tool-call') toolCalls.push(part.toolCall);
    else if (part.type === 'finish') {
      finishReason = part.finishReason;
      usage = part.usage;
      seed = part.seed;
    } else if (part.type === 'error') throw part.error;
  }
  const warnings: CallWarning[] = result.warnings;
  return {
    text,
    ...(toolCalls.length ? { toolCalls } : {}),
    finishReason,
    usage,
    warnings,
    ...(seed !== undefined ? { seed } : {}),
    ...(result.middlewareMetadata ? { middlewareMetadata: result.middlewareMetadata } : {}),
  };
}
