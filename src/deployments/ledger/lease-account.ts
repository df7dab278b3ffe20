/**
 * @module deployments/ledger/lease-account
 * One counter (limit and window) as a replica holds it, and what a call asks of the leases.
 */
import type { LedgerLimit } from './limit-store.js';

/** One counter (limit and window) as this replica holds it. */
export class LeaseAccount {
  /** Leased and not held by any call. */
  free = 0;
  /** Held by calls in flight. */
  holds = 0;
  /** Settled usage not yet written: moves from `reserved` to `used` at the next flush. */
  usedPending = 0;
  /** Usage past what the calls held and the lease could cover: `used` up, `reserved` unchanged. */
  overflow = 0;
  lastExtra = 0;
  tightUntil = 0;
  lastUsedAt = 0;
  retired = false;
  /**
   * Taken under a replica id the database has since declared dead (its heartbeat lapsed): the
   * lease was reclaimed, so nothing is served from it; settlements book usage only.
   */
  orphaned = false;
  /** `holds` as last written to the lease row (what a reclaim books as used). */
  heldWritten = 0;
  ensured = false;
  fetching: Promise<void> | undefined;

  constructor(
    readonly limit: LedgerLimit,
    readonly windowStart: number,
    /** The replica id the lease was taken under (its lease row's owner, the fence). */
    readonly replicaId: string,
  ) {}
}

/** What a call asks of one limit. */
export interface Wanted {
  limit: LedgerLimit;
  windowStart: number;
  amount: number;
}

export interface LeasedEntry extends Wanted {
  account: LeaseAccount;
}

export type TakeOutcome = { ok: true; entries: LeasedEntry[] } | { ok: false; refused: Wanted };
