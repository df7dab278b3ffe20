/**
 * @module audit/audit-log
 * The append-only, hash-chained audit log. `record()` buffers a record and returns at once; a
 * flush appends the buffer in one transaction that holds a transaction-scoped advisory lock while
 * it reads the last hash and inserts — so several replicas on one database still write one chain.
 * A flush comes `flushIntervalMs` after a change is recorded, `accessFlushIntervalMs` after an
 * access record (a data query) when no change comes sooner, or when `maxBatch` records wait.
 * `close()` (on SIGTERM) flushes what is left. A process killed outright (kill -9) loses at most
 * the changes of the last `flushIntervalMs`, the access records of the last
 * `accessFlushIntervalMs`, and a batch in flight whose transaction had not committed.
 *
 * @example
 * audit.record({ action: 'key.create', projectId, target: { type: 'key', id: key.id }, after: key });
 */
import type { Logger } from '../core/logger.js';
import { currentRequestScope } from '../core/request-scope.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import { isUniqueViolation } from '../storage/core/database-error.js';
import { type AuditActor, type AuditEvent, type AuditRecorder, SYSTEM_ACTOR } from './audit-event.js';
import { type AuditPage, type AuditQuery, queryAudit } from './audit-query.js';
import { AUDIT_COLUMNS, chainHash, GENESIS_HASH, type RecordFields, signHash } from './audit-record.js';
import { type VerifyOptions, type VerifyResult, verifyChain } from './audit-verify.js';
import { canonicalJson, digestOf } from './canonical-json.js';

/** Any fixed number other than the migrator's: serialises appends across replicas. */
export const AUDIT_LOCK_ID = 0x6b61756c;
const COLUMNS_PER_ROW = 16;
const MAX_TEXT = 1000;

/** One statement per batch: one array per column (unnest), far cheaper to bind than a VALUES list. */
const INSERT_UNNEST = `INSERT INTO audit_log (${AUDIT_COLUMNS})
  SELECT s, timestamptz 'epoch' + a * interval '1 millisecond', ak, au, ar, p, ac, tt, ti, bd, ad, r, d,
    decode(ph, 'hex'), decode(h, 'hex'), decode(sg, 'hex')
    FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
      $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
      AS u(s, a, ak, au, ar, p, ac, tt, ti, bd, ad, r, d, ph, h, sg)`;

/** The last record written: the next one's `seq` follows it and its hash chains to it. */
interface ChainHead {
  seq: number;
  hash: Uint8Array;
}

export interface AuditLogOptions {
  /** How long a change record may wait in memory before it is written (the kill -9 window). */
  flushIntervalMs?: number;
  /**
   * How long an access record (`kind: 'access'`) may wait when no change comes sooner: a flush
   * per this interval instead of one per `flushIntervalMs` under a stream of data queries.
   */
  accessFlushIntervalMs?: number;
  /** Records per transaction. */
  maxBatch?: number;
  /** When set, each record's hash is signed with HMAC-SHA256 under this key. */
  signingKey?: string | undefined;
  logger?: Logger;
  now?: () => number;
}

export class AuditLog implements AuditRecorder {
  readonly #db: DatabaseV1;
  readonly #interval: number;
  readonly #accessInterval: number;
  readonly #maxBatch: number;
  readonly #signingKey: string | undefined;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  #buffer: RecordFields[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** When the scheduled flush runs (`performance.now()`). */
  #dueAt = 0;
  #flushing: Promise<void> = Promise.resolve();
  #failures = 0;
  /** The chain's head after this process's last append, while it is known (see #appendAfterHead). */
  #head: ChainHead | undefined;

  constructor(db: DatabaseV1, options: AuditLogOptions = {}) {
    this.#db = db;
    this.#interval = options.flushIntervalMs ?? 50;
    this.#accessInterval = Math.max(this.#interval, options.accessFlushIntervalMs ?? 1000);
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#signingKey = options.signingKey;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  get signed(): boolean {
    return this.#signingKey !== undefined;
  }

  /** Records waiting to be written. */
  get pending(): number {
    return this.#buffer.length;
  }

  record(event: AuditEvent): void {
    this.#buffer.push(this.#fields(event));
    if (this.#buffer.length >= this.#maxBatch) void this.flush().catch(() => {});
    else this.#schedule(event.kind === 'access' ? this.#accessInterval : this.#interval);
  }

  /** Writes every buffered record; resolves when they are committed. */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#drain());
    this.#flushing = run.catch(() => {});
    return run;
  }

  /** Flushes what is left; call on shutdown, before the database closes. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    return verifyChain(this.#db, { signingKey: this.#signingKey, ...options });
  }

  /**
   * Verifies the chain (after writing what is buffered) and records the verification in the chain
   * itself — `audit.verify.failed` naming the first bad record and its kind, or
   * `audit.verify.passed` with the head hash — so who checked, when, and what they found is as
   * tamper-evident as the rest. The record goes after the chain's head: a later verification of a
   * broken chain still stops at the bad record, and the failure stays readable by query.
   *
   * @example
   * const result = await audit.verifyAndRecord({ signal }); // in a request: the caller is the actor
   */
  async verifyAndRecord(options: VerifyOptions & { actor?: AuditActor } = {}): Promise<VerifyResult> {
    const { actor, ...verifyOptions } = options;
    await this.flush();
    const result = await this.verify(verifyOptions);
    this.record({
      action: result.ok ? 'audit.verify.passed' : 'audit.verify.failed',
      projectId: null,
      target: { type: 'audit_log', id: result.problem ? String(result.problem.seq) : null },
      detail: {
        records: result.records,
        last_seq: result.lastSeq,
        head_hash: result.headHash,
        ...(result.problem ? { problem_seq: result.problem.seq, problem_kind: result.problem.kind } : {}),
      },
      ...(actor ? { actor } : {}),
    });
    await this.flush();
    return result;
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    await this.flush();
    return queryAudit(this.#db, query);
  }

  /**
   * Flushes after `delay`, or sooner when a flush is already due sooner. A change brings a later
   * flush forward; a retry's backoff is never shortened.
   */
  #schedule(delay: number): void {
    const due = performance.now() + delay;
    if (this.#timer) {
      if (this.#failures > 0 || due >= this.#dueAt) return;
      clearTimeout(this.#timer);
    }
    this.#dueAt = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => {});
    }, delay);
    this.#timer.unref();
  }

  async #drain(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#buffer.length) {
      const batch = this.#buffer.splice(0, this.#maxBatch);
      try {
        if (!(await this.#appendAfterHead(batch))) {
          this.#head = await this.#db.transaction((tx) => this.#append(tx, batch));
        }
        this.#failures = 0;
      } catch (error) {
        // Nothing is dropped: the batch goes back in front and is retried, backing off.
        this.#buffer.unshift(...batch);
        this.#failures++;
        this.#logger?.error(
          { err: error, pending: this.#buffer.length },
          'audit flush failed; records kept for retry',
        );
        this.#schedule(Math.min(30_000, this.#interval * 2 ** this.#failures));
        throw error;
      }
    }
  }

  /**
   * On an embedded database (PGlite: this process is its only writer) the chain's head is known
   * after the first append, so a batch goes in as one statement — one round trip to the database's
   * worker instead of five (begin, lock, read the head, insert, commit). The head is only a hint:
   * `seq` is the primary key, so were it stale (another writer appended), the insert fails as a
   * whole and the locked transaction below reads the real head. False when the batch still has to
   * go that way.
   */
  async #appendAfterHead(batch: RecordFields[]): Promise<boolean> {
    const head = this.#head;
    if (!head || this.#db.provider !== 'pglite') return false;
    const { columns, last } = this.#rows(batch, head);
    try {
      await this.#db.query(INSERT_UNNEST, columns);
    } catch (error) {
      this.#head = undefined;
      if (isUniqueViolation(error)) return false;
      throw error;
    }
    this.#head = last;
    return true;
  }

  /** Appends under the lock, after the head it reads; returns the new head (kept once committed). */
  async #append(tx: DatabaseSession, batch: RecordFields[]): Promise<ChainHead> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_ID]);
    const last = await tx.query<{ seq: number; hash: Uint8Array }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    const head: ChainHead = {
      seq: last.rows[0] ? Number(last.rows[0].seq) : 0,
      hash: last.rows[0]?.hash ?? GENESIS_HASH,
    };
    const { columns, last: next } = this.#rows(batch, head);
    await tx.query(INSERT_UNNEST, columns);
    return next;
  }

  /** The batch's rows after `head`, one array per column, and the head they leave. */
  #rows(batch: RecordFields[], head: ChainHead): { columns: unknown[][]; last: ChainHead } {
    let seq = head.seq;
    let prev = head.hash;
    // One array per column, one statement per batch (unnest): far cheaper to bind than a
    // multi-row VALUES list with sixteen parameters a row. Hashes travel as hex.
    const columns: unknown[][] = Array.from({ length: COLUMNS_PER_ROW }, () => []);
    for (const fields of batch) {
      seq++;
      const hash = chainHash(prev, fields, seq);
      const row = [
        seq,
        fields.at,
        fields.actor_key_id,
        fields.actor_user_id,
        fields.actor_role,
        fields.project_id,
        fields.action,
        fields.target_type,
        fields.target_id,
        fields.before_digest,
        fields.after_digest,
        fields.request_id,
        fields.detail,
        Buffer.from(prev).toString('hex'),
        hash.toString('hex'),
        this.#signingKey === undefined ? null : signHash(this.#signingKey, hash).toString('hex'),
      ];
      for (let column = 0; column < COLUMNS_PER_ROW; column++) columns[column]!.push(row[column]);
      prev = hash;
    }
    return { columns, last: { seq, hash: prev } };
  }

  #fields(event: AuditEvent): RecordFields {
    const scope = currentRequestScope();
    const projectId = event.projectId ?? null;
    const actor =
      event.actor ??
      scope?.actor(projectId) ??
      (scope ? { keyId: null, userId: null, role: null } : SYSTEM_ACTOR);
    return {
      at: this.#now(),
      actor_key_id: clean(actor.keyId),
      actor_user_id: clean(actor.userId),
      actor_role: clean(actor.role),
      project_id: clean(projectId),
      action: clean(event.action) ?? 'unknown',
      target_type: clean(event.target.type) ?? 'unknown',
      target_id: clean(event.target.id ?? null),
      before_digest: digestOf(event.before),
      after_digest: digestOf(event.after),
      request_id: clean(event.requestId ?? scope?.requestId ?? null),
      detail: event.detail ? canonicalJson(cleanDetail(event.detail)) : null,
    };
  }
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL will store it: no NUL, no lone surrogate (either would make the stored text
 * differ from what was hashed, or fail the whole batch), bounded length.
 */
function clean(value: string | null): string | null {
  if (value === null) return null;
  const bounded = value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
  return bounded.replace(UNSTORABLE, '\uFFFD');
}

function cleanDetail(
  detail: Record<string, string | number | boolean | null>,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(detail)) {
    out[clean(key)!] = typeof value === 'string' ? clean(value) : value;
  }
  return out;
}
