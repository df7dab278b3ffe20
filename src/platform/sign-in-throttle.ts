/**
 * @module platform/sign-in-throttle
 * Limits password guessing. Failed sign-ins are counted per account (a digest of the e-mail, so
 * the table holds no addresses of people) and per client address, in the database so that every
 * replica sees the same counts. After `maxFailures` failures with less than `windowMs` between
 * them (time spent locked does not count as a pause), the subject is locked for `baseLockMs`, doubling with each further failure up to
 * `maxLockMs`; while locked, sign-in answers 429 `rate_limited` with Retry-After before any
 * password is checked. A successful sign-in clears the account's count (not the address's).
 * Locks are also remembered in memory, so a locked subject costs no database round trip.
 */
import { createHash } from 'node:crypto';
import { type AuditRecorder, digestOf, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { DatabaseSession } from '../spec/database.js';

export interface SignInThrottleOptions {
  /** Failures of one account before it is locked. */
  maxFailures?: number;
  /** Failures from one address (any accounts) before it is locked. */
  maxAddressFailures?: number;
  /** A failure further apart than this from the previous one starts the count again. */
  windowMs?: number;
  baseLockMs?: number;
  maxLockMs?: number;
  audit?: AuditRecorder;
  now?: () => number;
}

export type SignInFailureReason = 'unknown' | 'disabled' | 'password';

interface Limits {
  max: number;
  subject: string;
}

export class SignInThrottle {
  readonly #db: DatabaseSession;
  readonly #audit: AuditRecorder;
  readonly #now: () => number;
  readonly #maxFailures: number;
  readonly #maxAddressFailures: number;
  readonly #windowMs: number;
  readonly #baseLockMs: number;
  readonly #maxLockMs: number;
  /** Subjects known to be locked, until when (epoch ms): the in-memory front. */
  readonly #locked = new Map<string, number>();

  constructor(db: DatabaseSession, options: SignInThrottleOptions = {}) {
    this.#db = db;
    this.#audit = options.audit ?? noAudit;
    this.#now = options.now ?? Date.now;
    this.#maxFailures = options.maxFailures ?? 5;
    this.#maxAddressFailures = options.maxAddressFailures ?? 50;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#baseLockMs = options.baseLockMs ?? 60_000;
    this.#maxLockMs = options.maxLockMs ?? 60 * 60_000;
  }

  /** Throws 429 `rate_limited` (with `retryAfterSeconds`) while the account or the address is locked. */
  async check(email: string, address: string | null): Promise<void> {
    const subjects = this.#subjects(email, address).map((limit) => limit.subject);
    const now = this.#now();
    let until = 0;
    for (const subject of subjects) {
      const known = this.#locked.get(subject);
      if (known !== undefined && known <= now) this.#locked.delete(subject);
      else if (known !== undefined) until = Math.max(until, known);
    }
    if (!until) {
      const { rows } = await this.#db.query<{ subject: string; locked_until: Date }>(
        'SELECT subject, locked_until FROM sign_in_throttle WHERE subject = ANY($1::text[]) AND locked_until > $2',
        [subjects, new Date(now)],
      );
      for (const row of rows) {
        this.#remember(row.subject, row.locked_until.getTime());
        until = Math.max(until, row.locked_until.getTime());
      }
    }
    if (until > now) throw rateLimited(until - now);
  }

  /**
   * Counts one failed sign-in against the account and the address, locks them when they reach
   * their limits, and audits it (`auth.sign_in.fail`: the account as a digest, the address, why).
   */
  async recordSignInFailure(
    email: string,
    address: string | null,
    reason: SignInFailureReason,
  ): Promise<void> {
    const account = normalise(email);
    this.#audit.record({
      action: 'auth.sign_in.fail',
      target: { type: 'account', id: null },
      detail: { account: digestOf(account), address, reason },
    });
    const now = new Date(this.#now());
    for (const { subject, max } of this.#subjects(email, address)) {
      const { rows } = await this.#db.query<{ failures: number }>(
        `INSERT INTO sign_in_throttle AS t (subject, failures, last_failure_at) VALUES ($1, 1, $2)
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN GREATEST(t.last_failure_at, t.locked_until) < $2::timestamptz - make_interval(secs => $3 / 1000.0)
                           THEN 1 ELSE t.failures + 1 END,
           last_failure_at = $2
         RETURNING failures`,
        [subject, now, this.#windowMs],
      );
      const failures = rows[0]?.failures ?? 1;
      if (failures < max) continue;
      const lockMs = Math.min(this.#baseLockMs * 2 ** Math.min(failures - max, 30), this.#maxLockMs);
      const until = new Date(now.getTime() + lockMs);
      await this.#db.query('UPDATE sign_in_throttle SET locked_until = $2 WHERE subject = $1', [
        subject,
        until,
      ]);
      this.#remember(subject, until.getTime());
    }
  }

  /** A successful sign-in: the account starts from zero again. */
  async recordSuccess(email: string): Promise<void> {
    const subject = accountSubject(email);
    this.#locked.delete(subject);
    await this.#db.query('DELETE FROM sign_in_throttle WHERE subject = $1', [subject]);
  }

  /** Drops counts nobody has added to for a day (housekeeping; safe to call any time). */
  async prune(): Promise<void> {
    await this.#db.query(
      'DELETE FROM sign_in_throttle WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $1)',
      [new Date(this.#now() - 86_400_000)],
    );
  }

  #subjects(email: string, address: string | null): Limits[] {
    const limits: Limits[] = [{ subject: accountSubject(email), max: this.#maxFailures }];
    if (address) limits.push({ subject: `address:${address.slice(0, 100)}`, max: this.#maxAddressFailures });
    return limits;
  }

  #remember(subject: string, until: number): void {
    if (this.#locked.size >= 10_000) this.#locked.clear();
    this.#locked.set(subject, until);
  }
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}

function accountSubject(email: string): string {
  return `account:${createHash('sha256').update(normalise(email)).digest('hex')}`;
}

function rateLimited(waitMs: number): KeelError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new KeelError(
    'rate_limited',
    `Too many failed sign-ins. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { data: { retryAfterSeconds: seconds } },
  );
}
