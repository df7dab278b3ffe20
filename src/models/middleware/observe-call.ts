/**
 * @module models/middleware/observe-call
 * One pass over a call's outcome for the middleware that only watch (metering, metrics,
 * tracing): when the call ends — returned, thrown, streamed to its end, failed mid-stream or
 * abandoned by the client — `onEnd` receives one record. Errors are normalised to `KeelError`
 * once here, so every observer sees the same status and code.
 */
import { toKeelError } from '../../core/errors.js';
import type {
  CallContext,
  FinishReason,
  LanguageModelUsage,
  StreamPart,
  StreamResult,
} from '../../spec/language-model.js';
import type { ModelMiddleware } from './model-middleware.js';

export interface CallRecord {
  operation: 'generate' | 'stream' | 'embed';
  /** Full model id, `provider:model`. */
  modelId: string;
  context: CallContext | undefined;
  /** performance.now() when the call began. */
  startedAt: number;
  latencyMs: number;
  /** From the first text delta, streams only. */
  firstTokenMs?: number;
  /** HTTP-like status: 200, the error's status, or 499 when the client went away mid-stream. */
  status: number;
  errorCode: string | null;
  usage: LanguageModelUsage;
  finishReason?: FinishReason;
  /** Chat messages or plain text, for language-model calls. */
  promptType?: 'text' | 'chat';
  /** The call's generation settings, for observers that report them (tracing). */
  parameters?: {
    maxNewTokens?: number | undefined;
    temperature?: number | undefined;
    topP?: number | undefined;
  };
}

const noUsage = (): LanguageModelUsage => ({ inputTokens: 0, outputTokens: 0 });

/** A middleware that reports every language and embedding call it sees to `onEnd`. */
export function observeCalls(name: string, onEnd: (record: CallRecord) => void): ModelMiddleware {
  // One record per call, filled in as it ends: observers get it once, at the end.
  const base = (
    operation: CallRecord['operation'],
    provider: string,
    modelId: string,
    context: CallContext | undefined,
    parameters: CallRecord['parameters'] | undefined,
    promptType?: 'text' | 'chat',
  ): CallRecord => {
    const record: CallRecord = {
      operation,
      modelId: `${provider}:${modelId}`,
      context,
      startedAt: performance.now(),
      latencyMs: 0,
      status: 200,
      errorCode: null,
      usage: noUsage(),
    };
    if (parameters) record.parameters = parameters;
    if (promptType) record.promptType = promptType;
    return record;
  };
  const ended = (record: CallRecord, usage: LanguageModelUsage, finishReason?: FinishReason) => {
    record.latencyMs = performance.now() - record.startedAt;
    record.usage = usage;
    if (finishReason) record.finishReason = finishReason;
    onEnd(record);
  };
  const failed = (record: CallRecord, error: unknown) => {
    const keelError = toKeelError(error);
    record.latencyMs = performance.now() - record.startedAt;
    record.status = keelError.status;
    record.errorCode = keelError.code;
    onEnd(record);
    return keelError;
  };
  return {
    name,
    async wrapGenerate({ options, model, doGenerate }) {
      const start = base(
        'generate',
        model.provider,
        model.modelId,
        options.context,
        options.parameters,
        options.prompt.type,
      );
      try {
        const result = await doGenerate();
        ended(start, result.usage, result.finishReason);
        return result;
      } catch (error) {
        throw failed(start, error);
      }
    },
    async wrapStream({ options, model, doStream }) {
      const start = base(
        'stream',
        model.provider,
        model.modelId,
        options.context,
        options.parameters,
        options.prompt.type,
      );
      let result: StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        throw failed(start, error);
      }
      return { ...result, stream: observedStream(result.stream, start, onEnd) };
    },
    async wrapEmbed({ options, model, doEmbed }) {
      const start = base('embed', model.provider, model.modelId, options.context, undefined);
      try {
        const result = await doEmbed();
        ended(start, { inputTokens: result.usage.inputTokens, outputTokens: 0 });
        return result;
      } catch (error) {
        throw failed(start, error);
      }
    },
  };
}

async function* observedStream(
  stream: AsyncIterable<StreamPart>,
  start: CallRecord,
  onEnd: (record: CallRecord) => void,
): AsyncGenerator<StreamPart> {
  let usage = noUsage();
  let status = 499;
  let errorCode: string | null = 'client_closed';
  let finishReason: FinishReason | undefined;
  let firstTokenMs: number | undefined;
  try {
    for await (const part of stream) {
      if (part.type === 'text-delta') {
        firstTokenMs ??= performance.now() - start.startedAt;
      } else if (part.type === 'finish') {
        usage = part.usage;
        finishReason = part.finishReason;
        // A generation the client abandoned ends as `cancelled`: recorded as 499, not success.
        if (part.finishReason !== 'cancelled') {
          status = 200;
          errorCode = null;
        }
      } else if (part.type === 'error') {
        status = part.error.status;
        errorCode = part.error.code;
        finishReason = 'error';
      }
      yield part;
      if (part.type === 'finish' || part.type === 'error') return;
    }
  } finally {
    start.latencyMs = performance.now() - start.startedAt;
    if (firstTokenMs !== undefined) start.firstTokenMs = firstTokenMs;
    start.status = status;
    start.errorCode = errorCode;
    start.usage = usage;
    if (finishReason) start.finishReason = finishReason;
    onEnd(start);
  }
}
