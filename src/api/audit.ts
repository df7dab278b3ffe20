/**
 * @module api/audit
 * The audit API (`/api/v1/audit`): records with filters and cursor paging, and chain verification.
 */
import { z } from 'zod';
import { instantSchema as instant } from './instant.js';

const text = z.string().min(1).max(200);

export const auditQuerySchema = z.strictObject({
  action: text.optional().describe('an action (`key.create`) or a prefix ending in `*` (`template.*`)'),
  actor: text.optional().describe('a key id or a user id'),
  project_id: text.optional().describe('only this project (org admins: any; others: one they administer)'),
  target_type: text.optional(),
  target_id: text.optional(),
  since: instant.optional().describe('records at or after this time'),
  until: instant.optional().describe('records before this time'),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a cursor from next_cursor')
    .optional()
    .describe('next_cursor of the previous page'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditQueryInput = z.input<typeof auditQuerySchema>;

export const auditRecordSchema = z.object({
  seq: z.number().int(),
  at: z.string().describe('when the change happened (ISO 8601)'),
  actor: z.object({
    key_id: z.string().nullable(),
    user_id: z.string().nullable(),
    role: z.string().nullable(),
  }),
  project_id: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  before_digest: z.string().nullable().describe('SHA-256 of the canonical JSON of the state before'),
  after_digest: z.string().nullable().describe('SHA-256 of the canonical JSON of the state after'),
  request_id: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  prev_hash: z.string(),
  hash: z.string().describe('SHA-256(prev_hash ‖ canonical JSON of the record), hex'),
  signature: z.string().nullable().describe('HMAC-SHA256 of hash under the signing key, when one is set'),
});
export type AuditRecordJson = z.infer<typeof auditRecordSchema>;

export const auditPageSchema = z.object({
  records: z.array(auditRecordSchema),
  next_cursor: z.string().nullable(),
});
export type AuditPageJson = z.infer<typeof auditPageSchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  last_seq: z.number().int(),
  head_hash: z
    .string()
    .nullable()
    .describe('hash of the last record checked; keep a copy to detect truncation'),
  signed_records: z.number().int(),
  problem: z
    .object({
      seq: z.number().int(),
      kind: z.enum(['altered', 'removed', 'reordered', 'relinked', 'unsigned', 'bad_signature']),
      message: z.string(),
    })
    .nullable(),
  elapsed_ms: z.number(),
});
export type AuditVerifyJson = z.infer<typeof auditVerifySchema>;
