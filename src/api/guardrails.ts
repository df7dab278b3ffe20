/**
 * @module api/guardrails
 * Shapes of the guardrail API: checks, policies, decisions, and watsonx's `/ml/v1/text/detection`.
 */
import { z } from 'zod';

export const detectorNameSchema = z.enum(['pii', 'hap', 'injection']);

export const guardrailSpanSchema = z.object({
  type: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  score: z.number(),
  detector: z.string(),
  version: z.string(),
  action: z.enum(['block', 'mask', 'pseudonymise', 'flag']).optional(),
  reasons: z.array(z.string()).optional(),
  text: z.string().optional(),
});
export type GuardrailSpan = z.infer<typeof guardrailSpanSchema>;

export const checkRequestSchema = z.strictObject({
  text: z.string().max(1_000_000, 'at most 1,000,000 characters'),
  direction: z.enum(['input', 'output']).default('input'),
  mode: z.enum(['prompt', 'output', 'document']).optional(),
  /** Run only these detectors with their defaults (ignored when a policy is given). */
  detectors: z.array(detectorNameSchema).min(1).optional(),
  threshold: z.number().min(0).max(1).optional(),
  /** A stored policy of the project, or an inline one (the policy body schema). */
  policy_name: z.string().min(1).max(100).optional(),
  policy: z.record(z.string(), z.unknown()).optional(),
  include_text: z.boolean().default(false),
});
export type CheckRequest = z.input<typeof checkRequestSchema>;

export const checkResponseSchema = z.object({
  blocked: z.boolean(),
  action: z.enum(['allow', 'block', 'mask', 'pseudonymise', 'flag']),
  text: z.string(),
  spans: z.array(guardrailSpanSchema),
  policy: z.string(),
});
export type CheckResponse = z.infer<typeof checkResponseSchema>;

export const storedPolicySchema = z.object({
  name: z.string(),
  version: z.number().int(),
  policy: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const policyNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, dot, dash, underscore');

export const decisionSchema = z.object({
  id: z.number(),
  direction: z.string(),
  detector: z.string(),
  detector_version: z.string(),
  entity_type: z.string(),
  score: z.number(),
  action: z.string(),
  span_start: z.number(),
  span_end: z.number(),
  span_hash: z.string(),
  source: z.string(),
  /** A retrieved passage's chunk id, for a decision about it (direction `context`). */
  subject: z.string().nullable().optional(),
  policy: z.string().nullable(),
  key_id: z.string().nullable(),
  created_at: z.string(),
});

export const detectionRequestSchema = z.looseObject({
  input: z.string().max(1_000_000),
  detectors: z
    .looseObject({
      hap: z.looseObject({ threshold: z.number().min(0).max(1).optional() }).optional(),
      pii: z.looseObject({ threshold: z.number().min(0).max(1).optional() }).optional(),
      prompt_injection: z.looseObject({ threshold: z.number().min(0).max(1).optional() }).optional(),
    })
    .refine(
      (value) => Object.keys(value).length > 0,
      'name at least one detector: hap, pii or prompt_injection',
    ),
  project_id: z.string().optional(),
  space_id: z.string().optional(),
});

export const detectionResponseSchema = z.object({
  detections: z.array(
    z.object({
      start: z.number().int(),
      end: z.number().int(),
      text: z.string(),
      detection_type: z.string(),
      detection: z.string(),
      score: z.number(),
      entity: z.string().optional(),
    }),
  ),
});
