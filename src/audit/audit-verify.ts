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
 *
 * Two passes. The fast pass checks a page at a time inside the database: each row's hash against
 * SHA-256(its prev_hash ‖ its canonical JSON, built by SQL) and its prev_hash and sequence number
 * against the row before (window functions) — together exactly the chain condition — and only a
 * summary per page crosses into JavaScript. At the first page that does not pass (or for a signed
 * chain, whose HMACs need the key, which never goes to the database), the row pass takes over:
 * it recomputes every hash here with node:crypto and names the problem.
 */
import type { DatabaseSession } from '../spec/database.js';
import {
  AUDIT_SELECT,
  type AuditRow,
  CANONICAL_RECORD_SQL,
  chainHash,
  GENESIS_HASH,
  signHash,
} from './audit-record.js';

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
  /** `rows` skips the in-database fast pass (every hash computed here). */
  mode?: 'fast' | 'rows';
  /**
   * Pages the fast pass checks at once (default 4). On PostgreSQL each runs on its own pooled
   * connection, so the server hashes pages on several cores; on PGlite they queue.
   */
  concurrency?: number;
  /** Records per page of the fast pass (default 50,000). */
  fastPageSize?: number;
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
  if (options.signingKey === undefined && options.mode !== 'rows') {
    // Pages are ranges of sequence numbers, so several can be checked at once; each must hold
    // every number of its range, link to the page before and pass inside. The first page that
    // does not leaves the rest to the row pass below, which names the problem.
    const fastPageSize = options.fastPageSize ?? Math.max(pageSize, 50_000);
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const maxSeq = Number(
      (await db.query<{ last: number | null }>('SELECT max(seq) AS last FROM audit_log')).rows[0]?.last ?? 0,
    );
    let from = 1;
    let passed = true;
    while (passed && from <= maxSeq) {
      options.signal?.throwIfAborted();
      const starts: number[] = [];
      for (let start = from; starts.length < concurrency && start <= maxSeq; start += fastPageSize)
        starts.push(start);
      const pages = await Promise.all(starts.map((start) => fastPage(db, start, fastPageSize)));
      for (const [index, page] of pages.entries()) {
        const start = starts[index]!;
        const size = Math.min(fastPageSize, maxSeq - start + 1);
        if (!page || page.bad !== null || page.firstSeq !== expected || page.count !== size) passed = false;
        else if (!prev.equals(page.firstPrev)) passed = false;
        if (!passed) break;
        records += page!.count;
        expected = page!.lastSeq + 1;
        prev = Buffer.from(page!.lastHash);
        options.onProgress?.(records, total);
      }
      from = starts.at(-1)! + fastPageSize;
    }
    if (passed) {
      // Nothing past the last number read (rows appended meanwhile are checked next time).
      return result(null);
    }
  }
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

interface FastPage {
  count: number;
  firstSeq: number;
  lastSeq: number;
  firstPrev: Uint8Array;
  lastHash: Uint8Array;
  /** The first row in the page whose hash, link or sequence number is wrong. */
  bad: number | null;
}

async function fastPage(db: DatabaseSession, from: number, size: number): Promise<FastPage | null> {
  const { rows } = await db.query<{
    count: number;
    first_seq: number;
    last_seq: number;
    first_prev: Uint8Array;
    last_hash: Uint8Array;
    bad: number | null;
  }>(
    `WITH page AS (
       SELECT seq, prev_hash, hash,
              sha256(prev_hash || convert_to(${CANONICAL_RECORD_SQL}, 'UTF8')) AS computed,
              lag(seq) OVER w AS before_seq, lag(hash) OVER w AS before_hash
         FROM (SELECT * FROM audit_log WHERE seq >= $1::int8 AND seq < $1::int8 + $2::int8) AS slice
       WINDOW w AS (ORDER BY seq))
     SELECT count(*)::int8 AS count, min(seq) AS first_seq, max(seq) AS last_seq,
            (array_agg(prev_hash ORDER BY seq))[1] AS first_prev,
            (array_agg(hash ORDER BY seq DESC))[1] AS last_hash,
            min(seq) FILTER (WHERE computed IS DISTINCT FROM hash
              OR (before_seq IS NOT NULL AND (seq <> before_seq + 1 OR prev_hash IS DISTINCT FROM before_hash))) AS bad
       FROM page`,
    [from, size],
  );
  const row = rows[0];
  if (!row || Number(row.count) === 0) return null;
  return {
    count: Number(row.count),
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    firstPrev: row.first_prev,
    lastHash: row.last_hash,
    bad: row.bad === null ? null : Number(row.bad),
  };
}
