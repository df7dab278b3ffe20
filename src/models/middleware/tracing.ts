/**
 * @module models/middleware/tracing
 * One OpenTelemetry span per model call, named and attributed by the GenAI semantic conventions
 * (`gen_ai.operation.name`, `gen_ai.request.model`, `gen_ai.usage.*`,
 * `gen_ai.response.finish_reasons` …), exported in batches by an OtlpExporter. Spans carry ids,
 * settings, counts and timings — never prompt or output text, nor anything else a user typed.
 */
import type { FinishReason } from '../../spec/language-model.js';
import type { ModelMiddleware } from './model-middleware.js';
import { type CallRecord, observeCalls } from './observe-call.js';
import { newSpanId, newTraceId, type OtlpExporter } from './otlp-exporter.js';

/** Wall-clock nanoseconds for a performance.now() reading. */
function unixNanos(performanceMs: number): bigint {
  return BigInt(Math.round((performance.timeOrigin + performanceMs) * 1e6));
}

function operationName(record: CallRecord): string {
  if (record.operation === 'embed') return 'embeddings';
  return record.promptType === 'text' ? 'text_completion' : 'chat';
}

/** watsonx stop reasons in the OpenTelemetry vocabulary where one exists. */
function finishReasonName(reason: FinishReason): string {
  switch (reason) {
    case 'eos_token':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'token_limit':
      return 'length';
    default:
      return reason;
  }
}

export function tracingMiddleware(exporter: OtlpExporter): ModelMiddleware {
  return observeCalls('tracing', (record) => {
    const operation = operationName(record);
    const separator = record.modelId.indexOf(':');
    const provider = record.modelId.slice(0, separator);
    const model = record.modelId.slice(separator + 1);
    const failed = record.status >= 400 && record.errorCode !== 'client_closed';
    exporter.export({
      traceId: newTraceId(),
      spanId: newSpanId(),
      name: `${operation} ${model}`,
      kind: 3,
      startTimeUnixNano: unixNanos(record.startedAt),
      endTimeUnixNano: unixNanos(record.startedAt + record.latencyMs),
      attributes: {
        'gen_ai.operation.name': operation,
        'gen_ai.provider.name': provider,
        'gen_ai.request.model': model,
        'gen_ai.response.model': model,
        'gen_ai.request.max_tokens': record.parameters?.maxNewTokens,
        'gen_ai.request.temperature': record.parameters?.temperature,
        'gen_ai.request.top_p': record.parameters?.topP,
        'gen_ai.usage.input_tokens': record.usage.inputTokens,
        'gen_ai.usage.output_tokens': record.operation === 'embed' ? undefined : record.usage.outputTokens,
        'gen_ai.response.finish_reasons': record.finishReason
          ? [finishReasonName(record.finishReason)]
          : undefined,
        'error.type': record.errorCode ?? undefined,
        'keel.stream': record.operation === 'stream',
        'keel.time_to_first_token_ms': record.firstTokenMs,
        'keel.status': record.status,
        'keel.project.id': record.context?.projectId,
        'keel.key.id': record.context?.keyId ?? undefined,
        'keel.endpoint': record.context?.endpoint,
        'keel.request.id': record.context?.requestId,
      },
      status: failed ? { code: 2, message: record.errorCode ?? '' } : { code: 0 },
    });
  });
}
