/**
 * @module api/metrics
 * `POST /api/v1/metrics/compute`: one metric over aligned arrays, the same code evaluation runs
 * use; `GET /api/v1/metrics`: the registry (what each metric needs, its range, its direction).
 * Text metrics take strings; retrieval takes ranked id lists, extraction span lists or JSON
 * objects, cost numbers. At most 10,000 items, each at most 1 MB once serialised.
 */
import { z } from 'zod';

export const METRIC_MAX_ITEMS = 10_000;
export const METRIC_MAX_ITEM_BYTES = 1024 * 1024;

const itemSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number()])),
  z.record(z.string(), z.unknown()),
]);

const column = z.array(itemSchema);

export const computeMetricRequestSchema = z.object({
  metric: z
    .string()
    .min(1)
    .max(100)
    .describe('A name from GET /api/v1/metrics, e.g. rougeL, sacrebleu, exact_match'),
  predictions: column.describe('One entry per item'),
  references: column.optional().describe('One reference (string) or several (array of strings) per item'),
  sources: column.optional().describe('Source texts (sari)'),
  labels: column.optional().describe('Gold labels (classification)'),
  groups: column.optional().describe('Protected-attribute value per item (fairness)'),
  options: z.record(z.string(), z.unknown()).optional().describe('Metric options, e.g. {"stem": true}'),
});
export type ComputeMetricRequest = z.infer<typeof computeMetricRequestSchema>;

export const computeMetricResponseSchema = z.object({
  metric: z.string(),
  score: z.number().nullable(),
  per_item: z.array(z.number().nullable()),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ComputeMetricResponse = z.infer<typeof computeMetricResponseSchema>;

export const metricInfoSchema = z.object({
  name: z.string(),
  family: z.string(),
  description: z.string(),
  needs_references: z.boolean(),
  needs_sources: z.boolean(),
  needs_groups: z.boolean(),
  higher_is_better: z.boolean(),
  range: z.tuple([z.number().nullable(), z.number().nullable()]).describe('null: unbounded'),
});

export const listMetricsResponseSchema = z.object({ metrics: z.array(metricInfoSchema) });
