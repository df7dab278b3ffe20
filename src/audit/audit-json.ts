/**
 * @module audit/audit-json
 * Records and verification results in the API's shape (snake_case, hex hashes, ISO times): what
 * the routes serve and `keel audit export` writes.
 */
import type { AuditRecordJson, AuditVerifyJson } from '../api/audit.js';
import type { AuditRow } from './audit-record.js';
import type { VerifyResult } from './audit-verify.js';

const hex = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

export function auditRecordJson(row: AuditRow): AuditRecordJson {
  return {
    seq: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    actor: { key_id: row.actor_key_id, user_id: row.actor_user_id, role: row.actor_role },
    project_id: row.project_id,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    before_digest: row.before_digest,
    after_digest: row.after_digest,
    request_id: row.request_id,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    prev_hash: hex(row.prev_hash)!,
    hash: hex(row.hash)!,
    signature: hex(row.signature),
  };
}

export function verifyJson(result: VerifyResult): AuditVerifyJson {
  return {
    ok: result.ok,
    records: result.records,
    last_seq: result.lastSeq,
    head_hash: result.headHash,
    signed_records: result.signedRecords,
    problem: result.problem,
    elapsed_ms: result.elapsedMs,
  };
}
