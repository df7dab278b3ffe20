/**
 * @module api/deployment-metrics
 * `GET /api/v1/deployments/{id}/metrics`: a deployment's traffic as a time series from the
 * monitoring request log — requests, errors, latency percentiles, tokens and cost per bucket —
 * what the console's live charts poll.
 */
import { z } from 'zod';

export const deploymentMetricsQuerySchema = z.object({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .optional()
    .describe('How far back from now (default 60)'),
  bucket_seconds: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400)
    .optional()
    .describe('Bucket width (default 60: per minute); at most 1,440 buckets'),
});

const figures = {
  requests: z.number().describe('Calls, scaled back by the sample rate'),
  errors: z.number(),
  error_rate: z.number().nullable(),
  latency_p50_ms: z.number().nullable(),
  latency_p95_ms: z.number().nullable(),
  latency_p99_ms: z.number().nullable(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cost: z.number(),
};

export const deploymentMetricsBucketSchema = z.object({ start: z.string(), ...figures });

export const deploymentMetricsSchema = z.object({
  deployment_id: z.string(),
  from: z.string(),
  to: z.string(),
  bucket_seconds: z.number().int(),
  buckets: z
    .array(deploymentMetricsBucketSchema)
    .describe('Oldest first, one per bucket, empty ones included'),
  totals: z.object(figures),
  versions: z
    .array(
      z.object({
        version: z.number().int(),
        buckets: z.array(z.object(figures)).describe('Aligned with the top-level buckets'),
        totals: z.object(figures),
      }),
    )
    .describe('Per deployment version that took traffic in the window: the sides of a split, side by side'),
});
export type DeploymentMetricsJson = z.infer<typeof deploymentMetricsSchema>;
export type DeploymentMetricsBucketJson = z.infer<typeof deploymentMetricsBucketSchema>;
