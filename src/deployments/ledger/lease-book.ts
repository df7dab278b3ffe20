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
 * In the database a lease is part of `reserved`, and it carries its replica (decision 0035,
 * migration 0025): a lease row says how much of `reserved` the replica owes and what its calls in
 * flight held at its last flush, and the replica keeps a heartbeat row alive (every third of
 * `ttlMs` while it holds anything). A replica serves from its leases only while its last
 * heartbeat is younger than `ttlMs` (measured from when it was sent, so always before the
 * database sees it expire). A replica refused by a counter first reclaims the leases of replicas
 * whose heartbeat expired more than `graceMs` ago: their unused part goes back to the budget, and
 * what their calls held at their last flush is booked as used. What a killed replica strands is
 * therefore out of reach for at most `ttlMs + graceMs` (3.5 s by default), and only until another
 * replica needs it. A replica that finds itself declared dead (paused past its heartbeat; its
 * heartbeat or its next flush says so) drops its leases and starts again under a new id.
 *
 * The id a lease was taken under is its fence (decision 0044, migration 0030): a reclaimed lease
 * row stays as a tombstone whose `credit` is what the reclaim booked for the calls in flight, and
 * every flush names the id of each lease it writes. Usage that calls of a dead id settle later
 * first uses up that credit, so it is counted once; when all of them have settled the replica
 * releases the id, and what the credit charged beyond their usage goes back.
 */
import { performance } from 'node:perf_hooks';
import { newId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import type { DatabaseSession } from '../../spec/database.js';
import { LeaseAccount, type LeasedEntry, type TakeOutcome, type Wanted } from './lease-account.js';
import {
  ensureSql,
  flushSql,
  heartbeatSql,
  reclaimSql,
  registerSql,
  releaseSql,
  takeSql,
} from './lease-statements.js';
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
  /** How long a replica's leases stay its own after its last heartbeat, in ms. */
  ttlMs?: number;
  /** How long past that before another replica reclaims them, in ms (clock skew, pauses). */
  graceMs?: number;
  /** How long a reclaimed lease's tombstone waits for its replica's late settlements, in ms. */
  keepMs?: number;
}

/** The heartbeat's defaults (decision 0044): a killed replica's lease is back within 3.5 s. */
export const leaseDefaults = { ttlMs: 3_000, graceMs: 500, keepMs: 3_600_000 } as const;

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
  readonly #ttlMs: number;
  readonly #graceMs: number;
  readonly #keepMs: number;
  /** Ids this replica was declared dead under, whose calls have not all settled and been released. */
  readonly #dead = new Set<string>();
  /** This replica's id on its lease rows (a new one after it was declared dead). */
  #id = newId('rpl');
  #registered = false;
  /** Until when (performance.now()) this replica's leases are its own. */
  #validUntil = 0;
  #beating: Promise<void> | undefined;
  #beatTimer: ReturnType<typeof setTimeout> | undefined;
  #lastReclaim = Number.NEGATIVE_INFINITY;
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
    this.#ttlMs = options.lease?.ttlMs ?? leaseDefaults.ttlMs;
    this.#graceMs = options.lease?.graceMs ?? leaseDefaults.graceMs;
    this.#keepMs = options.lease?.keepMs ?? leaseDefaults.keepMs;
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
      if (!this.#valid()) {
        // Heartbeat first: a replica declared dead meanwhile starts again with new accounts.
        await this.#heartbeat();
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
      // Leases of replicas that died holding them go back to the budget too.
      const reclaimed = await this.#reclaim();
      if (!handedBack && !reclaimed && !extra) return outcome;
      retried = true;
    }
  }

  /** Hands the hold of `entry` back and books `used` of it (written at the next flush). */
  settle(entry: LeasedEntry, used: number): void {
    const { account, amount } = entry;
    account.holds -= amount;
    if (used <= amount) {
      this.#spare(account, amount - used);
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

  /** Whether this replica's leases are still its own (its last heartbeat is young enough). */
  #valid(): boolean {
    return performance.now() < this.#validUntil;
  }

  /** Adds `amount` to the lease of `account` (nothing once the lease was reclaimed). */
  #spare(account: LeaseAccount, amount: number): void {
    if (!account.orphaned) account.free += amount;
  }

  /** Renews (or first writes) this replica's heartbeat; one at a time. */
  #heartbeat(): Promise<void> {
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  async #beat(): Promise<void> {
    const sent = performance.now();
    if (this.#registered) {
      const { rows } = await this.#db.query(heartbeatSql, [this.#id, this.#ttlMs]);
      if (!rows.length) this.#declaredDead();
    }
    if (!this.#registered) {
      await this.#db.query(registerSql, [this.#id, this.#ttlMs]);
      this.#registered = true;
    }
    this.#validUntil = sent + this.#ttlMs;
    this.#scheduleBeat();
  }

  /** Keeps the heartbeat going while this replica owes the database anything. */
  #scheduleBeat(): void {
    if (this.#beatTimer) return;
    this.#beatTimer = setTimeout(() => {
      this.#beatTimer = undefined;
      const owing = [...this.#accounts.values(), ...this.#retired].some(
        (account) =>
          !account.orphaned &&
          (account.free > 0 || account.holds > 0 || account.usedPending > 0 || account.overflow > 0),
      );
      // Idle: the heartbeat may lapse; the next call renews it before taking from the database.
      if (!owing) return;
      this.#heartbeat().catch((error: unknown) => {
        this.#logger?.warn({ err: error }, 'ledger heartbeat failed');
        this.#scheduleBeat();
      });
    }, this.#ttlMs / 3);
    this.#beatTimer.unref?.();
  }

  /**
   * The database no longer knows this replica (its heartbeat lapsed and another replica reclaimed
   * its leases): nothing more is served from them; usage of calls in flight is still booked.
   */
  #declaredDead(): void {
    this.#logger?.warn('ledger replica outlived its heartbeat: its leases were reclaimed; starting anew');
    for (const [key, account] of this.#accounts) this.#retire(key, account);
    for (const account of this.#retired) {
      account.orphaned = true;
      account.free = 0;
    }
    // Released once every call under the old id has settled and been flushed.
    this.#dead.add(this.#id);
    this.#id = newId('rpl');
    this.#registered = false;
    // The next call registers the new id before it takes anything.
    this.#validUntil = 0;
  }

  /** Returns the leases of dead replicas to the counters (at most every tenth of `ttlMs`). */
  async #reclaim(): Promise<boolean> {
    const now = performance.now();
    if (now - this.#lastReclaim < this.#ttlMs / 10) return false;
    this.#lastReclaim = now;
    const { rows } = await this.#db.query<{ reclaimed: number }>(reclaimSql, [this.#graceMs, this.#keepMs]);
    const reclaimed = Number(rows[0]?.reclaimed ?? 0);
    if (reclaimed) this.#logger?.info({ reclaimed }, 'ledger reclaimed the leases of dead replicas');
    return reclaimed > 0;
  }

  #account(limit: LedgerLimit, windowStart: number): LeaseAccount {
    const key = keyOf(limit.id, windowStart);
    let account = this.#accounts.get(key);
    // A changed cap (or period) retires the lease taken under the old one.
    if (account && account.limit.limit === limit.limit && account.limit.period === limit.period)
      return account;
    if (account) this.#retire(key, account);
    account = new LeaseAccount(limit, windowStart, this.#id);
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
    if (!this.#valid()) return undefined;
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
        account.replicaId,
      ]);
      const grant = Number(rows[0]?.grant ?? 0);
      this.#spare(account, grant);
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
        this.#spare(accounts[i]!, local[i]!);
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
          // The id the accounts were opened under (all of them current): a lease never lands on
          // the row of an id this replica moved on from meanwhile.
          accounts[asked[0]!]!.replicaId,
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
        this.#spare(account, spare);
        account.lastExtra = spare;
        if (!spare && extra) account.tightUntil = now + this.#tightMs;
      }
      // What the call holds is written at the next flush (booked as used should this replica die).
      this.#schedule();
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
      if (grant > 0) this.#spare(accounts[i]!, grant);
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
    let owing = this.#retired.size > 0 || this.#dead.size > 0;
    for (const account of this.#accounts.values()) owing ||= account.free > 0 || account.holds > 0;
    if (owing) this.#schedule();
  }

  /**
   * Writes settled usage of `accounts` and hands spare allowance back: all of it with
   * `handBackAll`, else where the lease is retired, its window ended, it sat idle, or the counter
   * is near its cap. Also records what calls in flight hold (booked as used should this replica
   * die). Resolves whether anything was written.
   */
  async #flush(accounts: Iterable<LeaseAccount>, handBackAll: boolean): Promise<boolean> {
    const now = this.#now();
    const writes: { account: LeaseAccount; back: number; moved: number; over: number; held: number }[] = [];
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
      const held = account.orphaned ? 0 : account.holds;
      if (back || account.usedPending || account.overflow || held !== account.heldWritten) {
        writes.push({
          account,
          back,
          moved: account.usedPending,
          over: account.overflow,
          held: account.heldWritten,
        });
        account.free -= back;
        account.usedPending = 0;
        account.overflow = 0;
        account.heldWritten = held;
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
      await this.#releaseSettled();
      return false;
    }
    // One row per lease: replica id and counter (a retired lease and its successor may share
    // one), in one lock order.
    const rows = new Map<
      string,
      { replicaId: string; limitId: string; windowStart: number; back: number; used: number }
    >();
    for (const { account, back, moved, over } of writes) {
      const key = `${account.replicaId}/${keyOf(account.limit.id, account.windowStart)}`;
      const row = rows.get(key) ?? {
        replicaId: account.replicaId,
        limitId: account.limit.id,
        windowStart: account.windowStart,
        back: 0,
        used: 0,
      };
      // A reclaimed lease was returned already: only its usage is booked.
      if (!account.orphaned) row.back += moved + back;
      row.used += moved + over;
      rows.set(key, row);
    }
    const sorted = [...rows.values()]
      .sort((a, b) =>
        a.limitId !== b.limitId
          ? a.limitId < b.limitId
            ? -1
            : 1
          : a.windowStart !== b.windowStart
            ? a.windowStart - b.windowStart
            : a.replicaId < b.replicaId
              ? -1
              : 1,
      )
      .map((row) => ({ ...row, held: this.#heldOn(row.replicaId, keyOf(row.limitId, row.windowStart)) }));
    const self = this.#id;
    let alive: boolean;
    try {
      const { rows: answer } = await this.#db.query<{ alive: boolean }>(flushSql, [
        self,
        sorted.map((row) => row.replicaId),
        sorted.map((row) => row.limitId),
        sorted.map((row) => row.windowStart),
        sorted.map((row) => row.back),
        sorted.map((row) => row.used),
        sorted.map((row) => row.held),
      ]);
      alive = answer[0]?.alive !== false;
    } catch (error) {
      for (const write of writes) {
        this.#spare(write.account, write.back);
        write.account.usedPending += write.moved;
        write.account.overflow += write.over;
        write.account.heldWritten = write.held;
      }
      throw error;
    }
    forget();
    // Declared dead meanwhile (and not yet known): nothing more is served from these leases.
    if (!alive && this.#registered && this.#id === self) this.#declaredDead();
    await this.#releaseSettled();
    return true;
  }

  /**
   * Releases each id this replica was declared dead under once all its calls settled and were
   * flushed: what the reclaim charged beyond their usage goes back (migration 0030).
   */
  async #releaseSettled(): Promise<void> {
    for (const id of this.#dead) {
      const unsettled = [...this.#accounts.values(), ...this.#retired].some(
        (account) =>
          account.replicaId === id &&
          (account.holds > 1e-9 || account.usedPending > 0 || account.overflow > 0 || account.fetching),
      );
      if (unsettled) continue;
      await this.#db.query(releaseSql, [id]);
      this.#dead.delete(id);
    }
  }

  /** What this replica's calls in flight hold on one lease (id and counter), across its live accounts. */
  #heldOn(replicaId: string, key: string): number {
    let held = 0;
    for (const account of [this.#accounts.get(key), ...this.#retired])
      if (
        account &&
        !account.orphaned &&
        account.replicaId === replicaId &&
        keyOf(account.limit.id, account.windowStart) === key
      )
        held += account.holds;
    return held;
  }
}
