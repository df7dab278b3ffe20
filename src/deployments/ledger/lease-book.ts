/**
 * @module deployments/ledger/lease-book
 * A replica's leases on the ledger's counters (decision 0024), as rate-limit services keep them.
 *
 * A lease is a block of a counter's allowance this replica took from the database with one
 * conditional update (`used + reserved + grant <= cap`, row-locked): the database still
 * guarantees that every replica's leases and holds together never pass the cap. Reservations are
 * then served from the lease in memory, with no round trip; settled usage and spare allowance go
 * back in the background, batched into one statement per flush; a new lease is taken ahead of
 * need. A lease is an eighth of what remains (at most 256 calls' worth), in whole multiples of
 * the call's amount; when less than eight calls' worth remains a replica takes only what each call
 * needs (no extra), so the last units are never stranded on one replica, and spare allowance goes
 * back at the next flush.
 *
 * In the database a lease is part of `reserved`. A replica that dies holding one loses at most
 * its unused lease until the window ends (for a lifetime budget: for good), as a call in flight
 * always could.
 */
import type { Logger } from '../../core/logger.js';
import type { DatabaseSession } from '../../spec/database.js';
import { LeaseAccount, type LeasedEntry, type TakeOutcome, type Wanted } from './lease-account.js';
import { ensureSql, flushSql, takeSql } from './lease-statements.js';
import type { LedgerLimit } from './limit-store.js';

export type { LeasedEntry, TakeOutcome, Wanted } from './lease-account.js';

export interface LeaseOptions {
  /** Share of the remaining allowance a lease takes (0: no leases, a round trip per reservation). */
  fraction?: number;
  /** At most this many times the requesting call's amount in one lease. */
  maxUnits?: number;
  /** How often settled usage is written and spare allowance handed back, in ms. */
  flushMs?: number;
  /** A lease unused this long is handed back, in ms. */
  idleMs?: number;
  /** After a counter refuses or grants no extra, how long to take only what each call needs, in ms. */
  tightMs?: number;
}

const keyOf = (limitId: string, windowStart: number) => `${limitId}@${windowStart}`;

export class LeaseBook {
  readonly #db: DatabaseSession;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #windowOf: (limit: LedgerLimit, now: number) => number;
  readonly #fraction: number;
  readonly #maxUnits: number;
  readonly #flushMs: number;
  readonly #idleMs: number;
  readonly #tightMs: number;
  readonly #accounts = new Map<string, LeaseAccount>();
  /** Accounts no longer handed out (cap changed, limit gone) still owing a write. */
  readonly #retired = new Set<LeaseAccount>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: {
    db: DatabaseSession;
    now: () => number;
    logger?: Logger | undefined;
    windowOf: (limit: LedgerLimit, now: number) => number;
    lease?: LeaseOptions | undefined;
  }) {
    this.#db = options.db;
    this.#now = options.now;
    this.#logger = options.logger;
    this.#windowOf = options.windowOf;
    this.#fraction = options.lease?.fraction ?? 1 / 8;
    this.#maxUnits = options.lease?.maxUnits ?? 256;
    this.#flushMs = options.lease?.flushMs ?? 100;
    this.#idleMs = options.lease?.idleMs ?? 2_000;
    this.#tightMs = options.lease?.tightMs ?? 1_000;
  }

  /** Holds every amount of `wanted`, or none: from the leases, else from the database. */
  async take(wanted: readonly Wanted[]): Promise<TakeOutcome> {
    let retried = false;
    for (;;) {
      const accounts = wanted.map((want) => this.#account(want.limit, want.windowStart));
      const local = this.#takeLocally(wanted, accounts);
      if (local) return { ok: true, entries: local };
      const busy = accounts.filter((account) => account.fetching);
      if (busy.length) {
        // Another call of this replica is taking a lease on the same counter: wait and look again.
        await Promise.all(busy.map((account) => account.fetching));
        continue;
      }
      const now = this.#now();
      const extra = !retried && accounts.every((account) => now >= account.tightUntil);
      const outcome = await this.#fetch(wanted, accounts, extra);
      if (outcome.ok || retried) return outcome;
      // Refused: hand back what this replica holds spare on these counters and ask once more for
      // only what the call needs — the rest may be spare here, or the extra may not have fitted.
      const retired = [...this.#retired].filter((old) =>
        accounts.some((account) => account.limit.id === old.limit.id),
      );
      const handedBack = await this.#flush([...accounts, ...retired], true);
      if (!handedBack && !extra) return outcome;
      retried = true;
    }
  }

  /** Hands the hold of `entry` back and books `used` of it (written at the next flush). */
  settle(entry: LeasedEntry, used: number): void {
    const { account, amount } = entry;
    account.holds -= amount;
    if (used <= amount) {
      account.free += amount - used;
      account.usedPending += used;
    } else {
      const cover = Math.min(account.free, used - amount);
      account.free -= cover;
      account.usedPending += amount + cover;
      account.overflow += used - amount - cover;
    }
    // An account dropped meanwhile (its window ended) still owes this write.
    if (this.#accounts.get(keyOf(account.limit.id, account.windowStart)) !== account)
      this.#retired.add(account);
    this.#schedule();
  }

  /** The scopes this replica holds leases for. */
  scopes(): Set<string> {
    return new Set([...this.#accounts.values()].map((account) => account.limit.scopeId));
  }

  /**
   * The limits of `scopeId` are now `current`: leases taken under a limit that went, or whose cap
   * or period changed, are no longer served from and go back at once.
   */
  retireChanged(scopeId: string, current: readonly LedgerLimit[]): void {
    for (const [key, account] of this.#accounts) {
      if (account.limit.scopeId !== scopeId) continue;
      const now = current.find((limit) => limit.id === account.limit.id);
      if (!now || now.limit !== account.limit.limit || now.period !== account.limit.period)
        this.#retire(key, account);
    }
  }

  /** Writes all settled usage and hands every spare lease back (shutdown, tests). */
  async flushAll(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    for (const account of this.#accounts.values()) if (account.fetching) await account.fetching;
    await this.#flush([...this.#accounts.values(), ...this.#retired], true);
  }

  #account(limit: LedgerLimit, windowStart: number): LeaseAccount {
    const key = keyOf(limit.id, windowStart);
    let account = this.#accounts.get(key);
    // A changed cap (or period) retires the lease taken under the old one.
    if (account && account.limit.limit === limit.limit && account.limit.period === limit.period)
      return account;
    if (account) this.#retire(key, account);
    account = new LeaseAccount(limit, windowStart);
    this.#accounts.set(key, account);
    return account;
  }

  #retire(key: string, account: LeaseAccount): void {
    account.retired = true;
    this.#accounts.delete(key);
    this.#retired.add(account);
    this.#schedule(0);
  }

  #takeLocally(wanted: readonly Wanted[], accounts: LeaseAccount[]): LeasedEntry[] | undefined {
    for (let i = 0; i < wanted.length; i++)
      if (accounts[i]!.free < wanted[i]!.amount || (!accounts[i]!.ensured && wanted[i]!.amount > 0))
        return undefined;
    const now = this.#now();
    return wanted.map((want, i) => {
      const account = accounts[i]!;
      account.free -= want.amount;
      account.holds += want.amount;
      account.lastUsedAt = now;
      // Ahead of need: a new lease before this one runs out.
      if (
        !account.fetching &&
        want.amount > 0 &&
        now >= account.tightUntil &&
        account.free < Math.max(want.amount, account.lastExtra / 4)
      )
        void this.#prefetch(account, want.amount);
      return { ...want, account };
    });
  }

  async #prefetch(account: LeaseAccount, unit: number): Promise<void> {
    const done = this.#fetching([account]);
    try {
      const { rows } = await this.#db.query<{ grant: number }>(takeSql, [
        this.#fraction,
        this.#maxUnits,
        [account.limit.id],
        [account.windowStart],
        [0],
        [unit],
        [account.limit.limit],
        [true],
      ]);
      const grant = Number(rows[0]?.grant ?? 0);
      account.free += grant;
      account.lastExtra = grant;
      if (!grant) account.tightUntil = this.#now() + this.#tightMs;
      if (account.retired) this.#schedule(0);
    } catch (error) {
      this.#logger?.warn({ err: error }, 'ledger lease prefetch failed');
    } finally {
      done();
    }
  }

  async #fetch(wanted: readonly Wanted[], accounts: LeaseAccount[], extra: boolean): Promise<TakeOutcome> {
    // What the leases hold already pays part; the database is asked for the rest (plus a lease).
    const local = wanted.map((want, i) => Math.min(Math.max(accounts[i]!.free, 0), want.amount));
    const rows: number[] = [];
    // Held meanwhile, so that no flush takes it back or forgets the account.
    wanted.forEach((want, i) => {
      accounts[i]!.free -= local[i]!;
      accounts[i]!.holds += local[i]!;
      if (want.amount - local[i]! > 0 || !accounts[i]!.ensured) rows.push(i);
    });
    const restore = () =>
      wanted.forEach((_, i) => {
        accounts[i]!.free += local[i]!;
        accounts[i]!.holds -= local[i]!;
      });
    const done = this.#fetching(rows.map((i) => accounts[i]!));
    let grants: Map<number, number>;
    try {
      const unensured = rows.filter((i) => !accounts[i]!.ensured);
      if (unensured.length) {
        await this.#db.query(ensureSql, [
          unensured.map((i) => wanted[i]!.limit.id),
          unensured.map((i) => wanted[i]!.windowStart),
          unensured.map((i) => wanted[i]!.limit.limit),
        ]);
        for (const i of unensured) accounts[i]!.ensured = true;
      }
      const asked = rows.filter((i) => wanted[i]!.amount - local[i]! > 0);
      grants = new Map(asked.map((i) => [i, 0]));
      if (asked.length) {
        const { rows: granted } = await this.#db.query<{
          limit_id: string;
          window_start: string;
          grant: number;
        }>(takeSql, [
          this.#fraction,
          this.#maxUnits,
          asked.map((i) => wanted[i]!.limit.id),
          asked.map((i) => wanted[i]!.windowStart),
          asked.map((i) => wanted[i]!.amount - local[i]!),
          asked.map((i) => wanted[i]!.amount),
          asked.map((i) => wanted[i]!.limit.limit),
          asked.map(() => extra && this.#fraction > 0),
        ]);
        const byKey = new Map(granted.map((row) => [keyOf(row.limit_id, Number(row.window_start)), row]));
        for (const i of asked) {
          const row = byKey.get(keyOf(wanted[i]!.limit.id, wanted[i]!.windowStart));
          grants.set(i, row ? Number(row.grant) : -1);
        }
      }
    } catch (error) {
      restore();
      throw error;
    } finally {
      done();
    }
    const now = this.#now();
    const refusedAt = [...grants].find(([, grant]) => grant < 0)?.[0];
    if (refusedAt === undefined) {
      for (const [i, grant] of grants) {
        const account = accounts[i]!;
        const spare = grant - (wanted[i]!.amount - local[i]!);
        account.free += spare;
        account.lastExtra = spare;
        if (!spare && extra) account.tightUntil = now + this.#tightMs;
      }
      return {
        ok: true,
        entries: wanted.map((want, i) => {
          const account = accounts[i]!;
          account.holds += want.amount - local[i]!;
          account.lastUsedAt = now;
          if (account.retired) this.#schedule(0);
          return { ...want, account };
        }),
      };
    }
    // All or none: what was granted stays as a lease (handed back at the next flush if unused).
    restore();
    for (const [i, grant] of grants) {
      if (grant > 0) accounts[i]!.free += grant;
      if (grant < 0) accounts[i]!.tightUntil = now + this.#tightMs;
    }
    this.#schedule();
    return { ok: false, refused: wanted[refusedAt]! };
  }

  /** Marks `accounts` as fetching; the returned function ends it. */
  #fetching(accounts: LeaseAccount[]): () => void {
    let end!: () => void;
    const promise = new Promise<void>((resolve) => {
      end = resolve;
    });
    for (const account of accounts) account.fetching = promise;
    return () => {
      for (const account of accounts) if (account.fetching === promise) account.fetching = undefined;
      end();
    };
  }

  #schedule(delayMs = this.#flushMs): void {
    if (this.#timer) {
      if (delayMs > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flushing
        .then(() => this.#flush([...this.#accounts.values(), ...this.#retired], false))
        .then(
          () => this.#afterFlush(),
          (error: unknown) => {
            this.#logger?.error({ err: error }, 'ledger flush failed');
            this.#schedule();
          },
        );
    }, delayMs);
    this.#timer.unref?.();
  }

  #afterFlush(): void {
    let owing = this.#retired.size > 0;
    for (const account of this.#accounts.values()) owing ||= account.free > 0 || account.holds > 0;
    if (owing) this.#schedule();
  }

  /**
   * Writes settled usage of `accounts` and hands spare allowance back: all of it with
   * `handBackAll`, else where the lease is retired, its window ended, it sat idle, or the counter
   * is near its cap. Resolves whether anything was written.
   */
  async #flush(accounts: Iterable<LeaseAccount>, handBackAll: boolean): Promise<boolean> {
    const now = this.#now();
    const writes: { account: LeaseAccount; back: number; moved: number; over: number }[] = [];
    const finished: LeaseAccount[] = [];
    for (const account of accounts) {
      const ended = account.windowStart !== this.#windowOf(account.limit, now);
      const back =
        account.free > 0 &&
        (handBackAll ||
          this.#fraction === 0 ||
          account.retired ||
          ended ||
          now < account.tightUntil ||
          now - account.lastUsedAt >= this.#idleMs)
          ? account.free
          : 0;
      if (back || account.usedPending || account.overflow) {
        writes.push({ account, back, moved: account.usedPending, over: account.overflow });
        account.free -= back;
        account.usedPending = 0;
        account.overflow = 0;
      }
      if ((account.retired || ended) && !account.holds && !account.free && !account.fetching)
        finished.push(account);
    }
    const forget = () => {
      for (const account of finished) {
        this.#retired.delete(account);
        const key = keyOf(account.limit.id, account.windowStart);
        if (this.#accounts.get(key) === account) this.#accounts.delete(key);
      }
    };
    if (!writes.length) {
      forget();
      return false;
    }
    // One lock order for every statement that touches several counters.
    writes.sort((a, b) =>
      a.account.limit.id === b.account.limit.id
        ? a.account.windowStart - b.account.windowStart
        : a.account.limit.id < b.account.limit.id
          ? -1
          : 1,
    );
    try {
      await this.#db.query(flushSql, [
        writes.map((write) => write.account.limit.id),
        writes.map((write) => write.account.windowStart),
        writes.map((write) => write.moved + write.back),
        writes.map((write) => write.moved + write.over),
      ]);
    } catch (error) {
      for (const write of writes) {
        write.account.free += write.back;
        write.account.usedPending += write.moved;
        write.account.overflow += write.over;
      }
      throw error;
    }
    forget();
    return true;
  }
}
