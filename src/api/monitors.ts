/**
 * @module api/monitors
 * Monitors, alerts and incidents (`/api/v1/monitors`, `/api/v1/alerts`, `/api/v1/incidents`):
 * what a monitor watches and its thresholds, the values of each run, the alerts thresholds raise
 * (with their webhook delivery) and the incidents alerts open.
 */
import { z } from 'zod';
import { instantSchema } from './instant.js';

export const monitorKindSchema = z.enum(['traffic', 'guardrails', 'drift', 'fairness']);
export const thresholdSchema = z
  .object({
    metric: z
      .string()
      .min(1)
      .max(100)
      .describe(
        'A value the monitor reports: error_rate, latency_p95_ms, language_psi, hit_rate.pii, disparate_impact …',
      ),
    operator: z.enum(['>', '>=', '<', '<=']),
    value: z.number().finite(),
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  })
  .strict();

export const monitorConfigSchema = z
  .object({
    window_seconds: z.number().int().min(1).max(31_536_000).optional(),
    baseline_from: instantSchema.optional(),
    baseline_to: instantSchema.optional(),
    baseline_seconds: z.number().int().min(1).max(31_536_000).optional(),
    attribute: z.string().min(1).max(100).optional(),
    favourable: z.array(z.string().min(1).max(100)).max(50).optional(),
    reference_group: z.string().min(1).max(100).optional(),
  })
  .strict();

export const createMonitorSchema = z
  .object({
    name: z.string().min(1).max(100),
    kind: monitorKindSchema,
    deployment_id: z.string().min(1).max(200).nullable().optional(),
    config: monitorConfigSchema.optional(),
    thresholds: z.array(thresholdSchema).max(50).optional(),
    interval_seconds: z.number().int().min(10).max(2_592_000).optional(),
    webhook_url: z.string().min(1).max(2000).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type CreateMonitorBody = z.infer<typeof createMonitorSchema>;

export const updateMonitorSchema = createMonitorSchema
  .omit({ kind: true, deployment_id: true })
  .partial()
  .strict();

export const monitorJsonSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  deployment_id: z.string().nullable(),
  name: z.string(),
  kind: monitorKindSchema,
  config: monitorConfigSchema,
  thresholds: z.array(thresholdSchema),
  interval_seconds: z.number().int(),
  webhook_url: z.string().nullable(),
  enabled: z.boolean(),
  last_run_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type MonitorJson = z.infer<typeof monitorJsonSchema>;

export const createdMonitorSchema = monitorJsonSchema.extend({
  webhook_secret: z.string().nullable().describe('Signs webhook bodies (HMAC-SHA256); shown only once'),
});

export const monitorResultJsonSchema = z.object({
  id: z.string(),
  monitor_id: z.string(),
  window_from: z.string(),
  window_to: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const alertJsonSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  monitor_id: z.string(),
  incident_id: z.string().nullable(),
  metric: z.string(),
  value: z.number(),
  operator: z.string(),
  threshold: z.number(),
  severity: z.string(),
  delivery: z.enum(['none', 'pending', 'delivered', 'failed']),
  delivery_attempts: z.number().int(),
  delivery_error: z.string().nullable(),
  created_at: z.string(),
});
export type AlertJson = z.infer<typeof alertJsonSchema>;

export const monitorRunJsonSchema = z.object({
  result: monitorResultJsonSchema,
  alerts: z.array(alertJsonSchema),
});

export const incidentStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export const incidentJsonSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  monitor_id: z.string().nullable(),
  deployment_id: z.string().nullable(),
  title: z.string(),
  severity: z.string(),
  status: incidentStatusSchema,
  notes: z.array(z.object({ at: z.string(), by: z.string().nullable(), text: z.string() })),
  created_at: z.string(),
  acknowledged_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
  updated_at: z.string(),
});
export type IncidentJson = z.infer<typeof incidentJsonSchema>;

export const incidentChangeSchema = z
  .object({
    status: z.enum(['acknowledged', 'resolved']).optional(),
    note: z.string().min(1).max(4000).optional(),
  })
  .strict()
  .refine((body) => body.status !== undefined || body.note !== undefined, {
    message: 'Give a status, a note, or both',
  });
