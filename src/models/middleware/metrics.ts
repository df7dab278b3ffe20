/**
 * @module models/middleware/metrics
 * Prometheus figures for every model call: requests by model and status, tokens by direction,
 * latency, and time to the first streamed token.
 */
import type { KeelMetrics } from '../../core/metrics.js';
import type { ModelMiddleware } from './model-middleware.js';
import { observeCalls } from './observe-call.js';

export function metricsMiddleware(metrics: KeelMetrics): ModelMiddleware {
  return observeCalls('metrics', (record) => {
    const model = record.modelId;
    metrics.modelRequests.inc({ model, status: String(record.status) });
    if (record.usage.inputTokens)
      metrics.modelTokens.inc({ model, direction: 'input' }, record.usage.inputTokens);
    if (record.usage.outputTokens)
      metrics.modelTokens.inc({ model, direction: 'output' }, record.usage.outputTokens);
    metrics.modelLatency.observe({ model }, record.latencyMs / 1000);
    if (record.firstTokenMs !== undefined)
      metrics.timeToFirstToken.observe({ model }, record.firstTokenMs / 1000);
  });
}
