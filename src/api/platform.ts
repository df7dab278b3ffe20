/**
 * @module api/platform
 * Keel's own platform API (`/api/v1`): keys, projects, members, sign-in, usage. Requests are strict:
 * a misspelt field is an error, not silently ignored.
 */
import { z } from 'zod';
import { instantSchema } from './instant.js';

export const roleSchema = z.enum(['admin', 'editor', 'validator', 'viewer']);

export const issueSchema = z.object({
  code: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export const keelErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(issueSchema).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string(),
  }),
});

/** The longest duration accepted: ten years. */
export const MAX_DURATION_MS = 10 * 365 * 86_400_000;

/** Durations like `30d`, `12h`, `90m`, `3600s`: positive, at most ten years; milliseconds out. */
export const durationSchema = z
  .string()
  .max(32)
  .regex(/^\d+\s*[smhdw]$/, 'a number and a unit: s, m, h, d or w (e.g. 30d)')
  .transform((value, context) => {
    const amount = Number.parseInt(value, 10);
    const unit = value.trim().slice(-1) as 's' | 'm' | 'h' | 'd' | 'w';
    const ms = amount * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[unit] * 1000;
    if (ms <= 0) {
      context.addIssue({
        code: 'too_small',
        origin: 'number',
        minimum: 1,
        inclusive: true,
        input: value,
        message: 'must be longer than zero (e.g. 30d)',
      });
      return z.NEVER;
    }
    if (!(ms <= MAX_DURATION_MS)) {
      context.addIssue({
        code: 'too_big',
        origin: 'number',
        maximum: MAX_DURATION_MS,
        inclusive: true,
        input: value,
        message: 'must be at most ten years (3650d)',
      });
      return z.NEVER;
    }
    return ms;
  });

export const createKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: roleSchema.default('editor'),
  expires_at: instantSchema.optional().describe('when the key stops working'),
  expires_in: durationSchema.optional().describe('alternative to expires_at, e.g. 30d'),
});
export type CreateKeyRequest = z.input<typeof createKeyRequestSchema>;

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  project_id: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdKeySchema = apiKeySchema.extend({
  key: z.string().describe('the secret: shown once, store it now'),
});

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  created_at: z.string(),
  role: roleSchema,
});
export type Project = z.infer<typeof projectSchema>;

export const createProjectRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
});
export const updateProjectRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
});

export const signInRequestSchema = z.strictObject({
  email: z.email(),
  password: z.string().min(1).max(1024),
});
export const signInResponseSchema = z.object({
  token: z.string(),
  expires_at: z.string(),
  user: z.object({ id: z.string(), email: z.string(), display_name: z.string() }),
  project_id: z.string(),
});

export const meSchema = z.object({
  key_id: z.string(),
  kind: z.enum(['api', 'session']),
  user: z.object({ id: z.string(), email: z.string(), display_name: z.string() }).nullable(),
  default_project_id: z.string(),
  projects: z.array(projectSchema),
  permissions: z.record(z.string(), z.array(z.string())),
});
export type Me = z.infer<typeof meSchema>;

export const createUserRequestSchema = z.strictObject({
  email: z.email(),
  password: z.string().min(12, 'at least 12 characters').max(1024),
  display_name: z.string().max(200).optional(),
  role: roleSchema.default('viewer'),
});

export const memberSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  display_name: z.string(),
  role: roleSchema,
});

export const usageQuerySchema = z.strictObject({
  group_by: z
    .string()
    .default('model')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['model', 'key', 'day', 'endpoint'])).max(4)),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  project_id: z.string().optional(),
});

export const usageRowSchema = z.object({
  model: z.string().optional(),
  key_id: z.string().nullable().optional(),
  day: z.string().optional(),
  endpoint: z.string().optional(),
  requests: z.number().int(),
  errors: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  latency_ms_avg: z.number(),
  latency_ms_p95: z.number(),
});
export const usageResponseSchema = z.object({
  project_id: z.string(),
  group_by: z.array(z.string()),
  rows: z.array(usageRowSchema),
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_seconds: z.number(),
  database: z.object({ engine: z.string(), ok: z.boolean() }),
});
