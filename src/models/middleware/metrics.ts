/**
 * @module models/middleware/metrics
 * Prometheus figures for every model call: requests by model and status, tokens by direction,
 * latency, and time to the first streamed token. The label children of each model are bound once
 * and kept (prom-client looks labels up by a hashed key on every call otherwise).
 */
import type { KeelMetrics } from '../../core/metrics.js';
import type { CallRecord } from './observe-call.js';

/** Models whose bound children are kept; beyond it the map starts again (prom-client keeps all). */
const maxBoundModels = 1000;

export function metricsObserver(metrics: KeelMetrics): (record: CallRecord) => void {
  const bound = new Map<string, ReturnType<typeof bind>>();
  function bind(model: string) {
    return {
      requests: new Map<number, ReturnType<typeof metrics.modelRequests.labels>>(),
      inputTokens: metrics.modelTokens.labels(model, 'input'),
      outputTokens: metrics.modelTokens.labels(model, 'output'),
      latency: metrics.modelLatency.labels(model),
      firstToken: metrics.timeToFirstToken.labels(model),
    };
  }
  return (record) => {
    const model = record.modelId;
    let children = bound.get(model);
    if (!children) {
      if (bound.size >= maxBoundModels) bound.clear();
      children = bind(model);
      bound.set(model, children);
    }
    let requests = children.requests.get(record.status);
    if (!requests) {
      requests = metrics.modelRequests.labels(model, String(record.status));
      children.requests.set(record.status, requests);
    }
    requests.inc();
    if (record.usage.inputTokens) children.inputTokens.inc(record.usage.inputTokens);
    if (record.usage.outputTokens) children.outputTokens.inc(record.usage.outputTokens);
    children.latency.observe(record.latencyMs / 1000);
    if (record.firstTokenMs !== undefined) children.firstToken.observe(record.firstTokenMs / 1000);
  };
}
