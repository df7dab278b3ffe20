/**
 * @module audit/audit-record
 * One audit record, its stored row and its place in the chain. A record's hash is
 * SHA-256(previous hash ‖ canonical JSON of the record); the first record follows 32 zero bytes.
 * The canonical text is written by hand for this fixed shape (sorted keys, JSON string escapes):
 * verification rebuilds it for every row, so it must be cheap, and it must equal
 * `canonicalJson(recordJson(row))` — a test holds the two together.
 */
import { createHash, createHmac } from 'node:crypto';

export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** A record as stored (the `audit_log` row, camel-cased). */
export interface AuditRecord {
  seq: number;
  /** When the change happened, milliseconds since the epoch (stored as timestamptz). */
  at: number;
  actorKeyId: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  projectId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  requestId: string | null;
  /** Canonical JSON of small, non-secret details (e.g. a role, a digest of an account name), or null. */
  detail: string | null;
}

export interface ChainedRecord extends AuditRecord {
  prevHash: Uint8Array;
  hash: Uint8Array;
  signature: Uint8Array | null;
}

/** The column list of `audit_log` in the order `recordValues` gives them. */
export const AUDIT_COLUMNS =
  'seq, occurred_at, actor_key_id, actor_user_id, actor_role, project_id, action, target_type, target_id, before_digest, after_digest, request_id, detail, prev_hash, hash, signature';

/** Selects a row in the shape `rowToRecord` reads; `at` as epoch milliseconds (no Date per row). */
export const AUDIT_SELECT =
  'seq, (extract(epoch from occurred_at) * 1000)::int8 AS at, actor_key_id, actor_user_id, actor_role, project_id, action, target_type, target_id, before_digest, after_digest, request_id, detail, prev_hash, hash, signature';

export interface AuditRow {
  seq: number;
  at: number;
  actor_key_id: string | null;
  actor_user_id: string | null;
  actor_role: string | null;
  project_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before_digest: string | null;
  after_digest: string | null;
  request_id: string | null;
  detail: string | null;
  prev_hash: Uint8Array;
  hash: Uint8Array;
  signature: Uint8Array | null;
}

export function rowToRecord(row: AuditRow): ChainedRecord {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    actorKeyId: row.actor_key_id,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    projectId: row.project_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    beforeDigest: row.before_digest,
    afterDigest: row.after_digest,
    requestId: row.request_id,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
    signature: row.signature,
  };
}

/** The record as a JSON value: the shape that is hashed, exported and served. */
export function recordJson(record: AuditRecord): Record<string, unknown> {
  return {
    seq: record.seq,
    at: record.at,
    actor: { keyId: record.actorKeyId, userId: record.actorUserId, role: record.actorRole },
    projectId: record.projectId,
    action: record.action,
    target: { type: record.targetType, id: record.targetId },
    before: record.beforeDigest,
    after: record.afterDigest,
    requestId: record.requestId,
    detail: record.detail === null ? null : (JSON.parse(record.detail) as unknown),
  };
}

const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

/** The fields of a row that are hashed: everything but the chain columns. */
export type RecordFields = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash' | 'signature'>;

/** Canonical JSON of the record at `seq`, for the fixed shape (keys in code-unit order). */
export function canonicalRecord(row: RecordFields, seq: number): string {
  return (
    `{"action":${str(row.action)}` +
    `,"actor":{"keyId":${str(row.actor_key_id)},"role":${str(row.actor_role)},"userId":${str(row.actor_user_id)}}` +
    `,"after":${str(row.after_digest)}` +
    `,"at":${row.at}` +
    `,"before":${str(row.before_digest)}` +
    `,"detail":${row.detail ?? 'null'}` +
    `,"projectId":${str(row.project_id)}` +
    `,"requestId":${str(row.request_id)}` +
    `,"seq":${seq}` +
    `,"target":{"id":${str(row.target_id)},"type":${str(row.target_type)}}}`
  );
}

const sqlStr = (column: string) => `coalesce(to_json(${column})::text, 'null')`;

/**
 * `canonicalRecord` as a SQL expression over an `audit_log` row: the same text, built by the
 * database (PostgreSQL's JSON string escapes are JSON.stringify's for the text we store: no lone
 * surrogates, no NUL). Verification's fast pass hashes it in place, so rows need not cross into
 * JavaScript one by one; a test holds it equal to `canonicalRecord`.
 */
export const CANONICAL_RECORD_SQL = [
  `'{"action":' || ${sqlStr('action')}`,
  `',"actor":{"keyId":' || ${sqlStr('actor_key_id')}`,
  `',"role":' || ${sqlStr('actor_role')}`,
  `',"userId":' || ${sqlStr('actor_user_id')}`,
  `'},"after":' || ${sqlStr('after_digest')}`,
  `',"at":' || (extract(epoch from occurred_at) * 1000)::int8::text`,
  `',"before":' || ${sqlStr('before_digest')}`,
  `',"detail":' || coalesce(detail, 'null')`,
  `',"projectId":' || ${sqlStr('project_id')}`,
  `',"requestId":' || ${sqlStr('request_id')}`,
  `',"seq":' || seq::text`,
  `',"target":{"id":' || ${sqlStr('target_id')}`,
  `',"type":' || ${sqlStr('target_type')} || '}}'`,
].join(' || ');

/** SHA-256(prev ‖ canonical record at `seq`). */
export function chainHash(prev: Uint8Array, row: RecordFields, seq: number): Buffer {
  return createHash('sha256').update(prev).update(canonicalRecord(row, seq)).digest();
}

/** HMAC-SHA256 of a record's hash with the configured signing key. */
export function signHash(key: string | Uint8Array, hash: Uint8Array): Buffer {
  return createHmac('sha256', key).update(hash).digest();
}
