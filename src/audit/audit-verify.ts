/**
 * @module audit/audit-verify
 * Walks the whole chain in sequence order, a page at a time (keyset pagination), recomputing each
 * record's hash from its columns and the previous record's hash, and stops at the first record
 * that does not fit, saying what is wrong: altered (its columns no longer give its hash), removed
 * (a sequence number is missing), reordered (the record hashes correctly at another position) or
 * relinked (the record before it was replaced: the next one still follows the original). The checks use
 * the stored columns only, so they hold even when someone dropped the append-only trigger.
 * Removing records from the very end leaves a shorter valid chain: compare `headHash` with a copy
 * kept elsewhere to catch that.
 */
import type { DatabaseSession } from '../spec/database.js';
import { AUDIT_SELECT, type AuditRow, chainHash, GENESIS_HASH, signHash } from './audit-record.js';

export type VerifyProblemKind =
  | 'altered'
  | 'removed'
  | 'reordered'
  | 'relinked'
  | 'unsigned'
  | 'bad_signature';

export interface VerifyProblem {
  seq: number;
  kind: VerifyProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Records checked (up to and including the first problem). */
  records: number;
  lastSeq: number;
  /** Hash of the last record checked, hex; keep a copy elsewhere to detect truncation. */
  headHash: string | null;
  /** Records carrying a signature that was checked. */
  signedRecords: number;
  problem: VerifyProblem | null;
  elapsedMs: number;
}

export interface VerifyOptions {
  signingKey?: string | undefined;
  pageSize?: number;
  onProgress?: (checked: number, total: number) => void;
  signal?: AbortSignal;
}

/** How far from its place a moved record is looked for. */
const REORDER_WINDOW = 64;

export async function verifyChain(db: DatabaseSession, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const pageSize = options.pageSize ?? 10_000;
  const total = options.onProgress
    ? Number((await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM audit_log')).rows[0]?.n ?? 0)
    : 0;
  let prev: Buffer = GENESIS_HASH;
  let expected = 1;
  let records = 0;
  let signedRecords = 0;
  let signedSeen = false;
  const result = (problem: VerifyProblem | null): VerifyResult => ({
    ok: problem === null,
    records,
    lastSeq: expected - 1,
    headHash: prev === GENESIS_HASH ? null : prev.toString('hex'),
    signedRecords,
    problem,
    elapsedMs: Math.round(performance.now() - started),
  });
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await db.query<AuditRow>(
      `SELECT ${AUDIT_SELECT} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expected, pageSize],
    );
    for (const row of page.rows) {
      const seq = Number(row.seq);
      if (seq !== expected) {
        records++;
        return result(await diagnoseGap(db, row, seq, expected));
      }
      const hash = chainHash(prev, row, seq);
      if (!hash.equals(row.hash)) {
        records++;
        return result(await diagnose(db, row, seq));
      }
      if (!prev.equals(row.prev_hash)) {
        records++;
        return result({
          seq,
          kind: 'altered',
          message: `Record ${seq}: its stored previous hash was changed (the chain itself is intact).`,
        });
      }
      if (options.signingKey !== undefined) {
        if (row.signature) {
          signedSeen = true;
          if (!signHash(options.signingKey, hash).equals(row.signature)) {
            records++;
            return result({
              seq,
              kind: 'bad_signature',
              message: `Record ${seq}: its signature does not match (re-hashed without the signing key?).`,
            });
          }
          signedRecords++;
        } else if (signedSeen) {
          records++;
          return result({
            seq,
            kind: 'unsigned',
            message: `Record ${seq} is unsigned although earlier records are signed.`,
          });
        }
      }
      prev = hash;
      records++;
      expected++;
    }
    options.onProgress?.(records, total);
    if (page.rows.length < pageSize) return result(null);
  }
}

async function diagnoseGap(
  db: DatabaseSession,
  row: AuditRow,
  seq: number,
  expected: number,
): Promise<VerifyProblem> {
  const moved = await diagnose(db, row, seq);
  if (moved.kind === 'reordered') return moved;
  const missing = seq - expected === 1 ? `Record ${expected} is` : `Records ${expected}–${seq - 1} are`;
  return { seq: expected, kind: 'removed', message: `${missing} missing: removed from the chain.` };
}

/** Why `row` (at `seq`) does not follow the record before it. */
async function diagnose(db: DatabaseSession, row: AuditRow, seq: number): Promise<VerifyProblem> {
  // Intact, but written at another position?
  for (let distance = 1; distance <= REORDER_WINDOW; distance++) {
    for (const at of [seq - distance, seq + distance]) {
      if (at >= 1 && chainHash(row.prev_hash, row, at).equals(row.hash)) {
        return {
          seq,
          kind: 'reordered',
          message: `Record ${seq} was written as record ${at}: records were reordered.`,
        };
      }
    }
  }
  if (chainHash(row.prev_hash, row, seq).equals(row.hash)) {
    // Intact, but chained after some other record.
    const predecessor = await db.query<{ seq: number }>('SELECT seq FROM audit_log WHERE hash = $1 LIMIT 1', [
      row.prev_hash,
    ]);
    const found = predecessor.rows[0];
    if (found && Number(found.seq) !== seq - 1) {
      return {
        seq,
        kind: 'reordered',
        message: `Record ${seq} was written after record ${Number(found.seq)}, not after record ${seq - 1}: records were reordered.`,
      };
    }
    return {
      seq: seq - 1,
      kind: 'relinked',
      message: `Record ${seq - 1} was replaced: record ${seq} is intact but follows a record ${seq - 1} that is no longer in the chain.`,
    };
  }
  return {
    seq,
    kind: 'altered',
    message: `Record ${seq} was altered: its contents no longer match its hash.`,
  };
}
