/**
 * @module models/middleware/metering
 * Usage metering: every call made for a project (its `context`) becomes one usage event —
 * tokens, latency, status — written in batches by the UsageMeter, off the request path. Calls
 * without a context (internal ones) are not metered.
 */
import type { UsageMeter } from '../../platform/index.js';
import type { CallRecord } from './observe-call.js';

export function meteringObserver(meter: UsageMeter): (record: CallRecord) => void {
  return (record) => {
    if (!record.context) return;
    meter.record({
      projectId: record.context.projectId,
      keyId: record.context.keyId,
      modelId: record.modelId,
      endpoint: record.context.endpoint,
      inputTokens: record.usage.inputTokens,
      outputTokens: record.usage.outputTokens,
      latencyMs: record.latencyMs,
      status: record.status,
      errorCode: record.errorCode,
      streamed: record.operation === 'stream',
    });
  };
}
