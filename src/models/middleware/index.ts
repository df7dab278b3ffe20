/**
 * @module models/middleware
 * Keel's model-call middleware and the order they run in, outermost first:
 *
 *   tracing → guardrails → metering → time-limit → capabilities → (embedding-batches) → model
 *
 * Tracing sees the whole call, guardrail work included. Guardrails run before metering, so a
 * prompt blocked at the input is neither sent nor metered, and the metered tokens are the model's.
 * `metering` is one observer for both usage events and Prometheus figures: one wrapper, one
 * record of the call's outcome, however many watch it.
 * The time limit sits inside metering so a cut-off call is metered with its partial usage.
 * Later modules add theirs with `registry.use(middleware, { before })`.
 */
import type { KeelMetrics } from '../../core/metrics.js';
import type { GuardrailService } from '../../guardrails/index.js';
import type { UsageMeter } from '../../platform/index.js';
import { capabilitiesMiddleware } from './capabilities.js';
import { embeddingBatchesMiddleware } from './embedding-batches.js';
import { guardrailsMiddleware } from './guardrails.js';
import { meteringObserver } from './metering.js';
import { metricsObserver } from './metrics.js';
import type { ModelMiddleware } from './model-middleware.js';
import { type CallRecord, observeCalls } from './observe-call.js';
import type { OtlpExporter } from './otlp-exporter.js';
import { timeLimitMiddleware } from './time-limit.js';
import { tracingMiddleware } from './tracing.js';

export { guardrailOutcomeOf, guardrailRequestOf } from './guardrails.js';
export type * from './model-middleware.js';
export { OtlpExporter } from './otlp-exporter.js';
export { collect } from './time-limit.js';
export { wrapEmbeddingModel, wrapLanguageModel } from './wrap-model.js';

export interface StandardMiddlewareOptions {
  exporter?: OtlpExporter | undefined;
  guardrails?: GuardrailService | undefined;
  metrics?: KeelMetrics | undefined;
  meter?: UsageMeter | undefined;
}

/** The middleware every Keel instance runs, in order; absent services leave theirs out. */
export function standardMiddleware(options: StandardMiddlewareOptions): ModelMiddleware[] {
  const observers: ((record: CallRecord) => void)[] = [];
  if (options.metrics) observers.push(metricsObserver(options.metrics));
  if (options.meter) observers.push(meteringObserver(options.meter));
  const observe =
    observers.length === 1
      ? observers[0]!
      : (record: CallRecord) => {
          for (const observer of observers) observer(record);
        };
  return [
    ...(options.exporter ? [tracingMiddleware(options.exporter)] : []),
    ...(options.guardrails ? [guardrailsMiddleware(options.guardrails)] : []),
    ...(observers.length ? [observeCalls('metering', observe)] : []),
    timeLimitMiddleware(),
    capabilitiesMiddleware(),
    embeddingBatchesMiddleware(),
  ];
}
