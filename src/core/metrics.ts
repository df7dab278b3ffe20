/**
 * @module core/metrics
 * Prometheus metrics for one Keel instance (its own registry, so tests and several apps in one
 * process don't share counters). Labels never carry user data: routes are patterns, models are ids.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export class KeelMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly directLane: Counter<'outcome'>;
  readonly modelRequests: Counter<'model' | 'status'>;
  readonly modelTokens: Counter<'model' | 'direction'>;
  readonly modelLatency: Histogram<'model'>;
  readonly timeToFirstToken: Histogram<'model'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'keel_process_' });
    this.httpRequests = new Counter({
      name: 'keel_http_requests_total',
      help: 'HTTP requests by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'keel_http_request_duration_seconds',
      help: 'HTTP request duration until the response head is sent.',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.directLane = new Counter({
      name: 'keel_http_direct_lane_total',
      help: 'Requests the direct lane served itself (served) or read and handed to the app (handed_on).',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.modelRequests = new Counter({
      name: 'keel_model_requests_total',
      help: 'Model calls by model and outcome.',
      labelNames: ['model', 'status'],
      registers: [this.registry],
    });
    this.modelTokens = new Counter({
      name: 'keel_model_tokens_total',
      help: 'Tokens by model and direction (input, output).',
      labelNames: ['model', 'direction'],
      registers: [this.registry],
    });
    this.modelLatency = new Histogram({
      name: 'keel_model_latency_seconds',
      help: 'Model call latency, end to end.',
      labelNames: ['model'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [this.registry],
    });
    this.timeToFirstToken = new Histogram({
      name: 'keel_model_time_to_first_token_seconds',
      help: 'Streaming: time until the first text arrives.',
      labelNames: ['model'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }
}
