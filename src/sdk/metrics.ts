/**
 * @module sdk/metrics
 * `client.metrics`: compute one metric over aligned arrays (the server's `computeMetric`), and
 * list the metrics with what each needs, its range and direction.
 */
import type { ComputeMetricRequest, ComputeMetricResponse } from '../api/metrics.js';
import type { SdkTransport } from './transport.js';

export interface MetricInfoJson {
  name: string;
  family: string;
  description: string;
  needs_references: boolean;
  needs_sources: boolean;
  needs_groups: boolean;
  higher_is_better: boolean;
  range: [number | null, number | null];
}

export class MetricsApi {
  constructor(private readonly client: SdkTransport) {}

  /** e.g. `compute({ metric: 'rougeL', predictions, references, options: { stem: true } })`. */
  compute(request: ComputeMetricRequest, signal?: AbortSignal): Promise<ComputeMetricResponse> {
    return this.client.request('POST', '/api/v1/metrics/compute', { body: request, signal });
  }

  list(signal?: AbortSignal): Promise<{ metrics: MetricInfoJson[] }> {
    return this.client.request('GET', '/api/v1/metrics', { signal });
  }
}
