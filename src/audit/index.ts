/**
 * @module audit
 * The one audit chain: every change in Keel appended to one hash-chained, append-only table.
 * Modules depend on `AuditRecorder` (one `record()` call); the runtime builds one `AuditLog`.
 */
import type { KeelModule, ModuleBase } from '../core/module.js';
import { AuditLog } from './audit-log.js';

export {
  type AuditActor,
  type AuditEvent,
  type AuditRecorder,
  noAudit,
  SYSTEM_ACTOR,
} from './audit-event.js';
export { auditRecordJson, verifyJson } from './audit-json.js';
export { AUDIT_LOCK_ID, AuditLog, type AuditLogOptions } from './audit-log.js';
export type { AuditPage, AuditQuery } from './audit-query.js';
export { type AuditRecord, type AuditRow, recordJson, rowToRecord } from './audit-record.js';
export type { VerifyOptions, VerifyProblem, VerifyResult } from './audit-verify.js';
export { canonicalJson, digestOf } from './canonical-json.js';

/** The audit module: one `AuditLog`, closed last of all (whatever others record while closing is written). */
export const auditModule: KeelModule<ModuleBase, { audit: AuditLog }> = {
  name: 'audit',
  create: ({ db, config, logger }) => ({
    audit: new AuditLog(db, {
      flushIntervalMs: config.audit.flushIntervalMs,
      accessFlushIntervalMs: config.audit.accessFlushIntervalMs,
      maxBatch: config.audit.maxBatch,
      signingKey: config.audit.signingKey,
      logger,
    }),
  }),
  close: ({ audit }) => audit.close(),
};
