/**
 * @module deployments/ledger/ledger
 * The one ledger: request and token rates, token and cost budgets, per project, API key and
 * deployment, held in the database so that every replica shares them.
 *
 * A call reserves its estimate on every limit that applies, and settles after the call (hold
 * handed back, actual usage booked). Reservations are served from this replica's leases — blocks
 * of allowance taken from the database counters with one conditional update
 * (`used + reserved + grant <= cap`, row-locked), so the database still bounds every replica
 * together — in memory, with no round trip; usage and spare allowance are written back in the
 * background, batched (lease-book.ts, decision 0024). Near a cap each call takes only what it
 * needs from the database, so 200 concurrent calls against a budget that allows 50 let exactly 50
 * through, across replicas too. When any limit refuses, the call is refused naming the limit.
 * Which scopes have limits is cached in memory and dropped on change by every replica
 * (storage/core/cache-invalidation), which also retires the leases taken under the old limits: a
 * project without limits pays no database round trip.
 *
 * @example
 * const reservation = await ledger.reserve({ projectId, keyId, deploymentId: null }, { tokens: 120, cost: 0 });
 * try { … } finally { await reservation?.settle({ tokens: 87, cost: 0 }); }
 * await ledger.drain(); // usage written, spare leases handed back (shutdown)
 */
import { KeelError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import { changeFeed, InvalidatingCache } from '../../storage/core/cache-invalidation.js';
import { LeaseBook, type LeasedEntry, type LeaseOptions, type Wanted } from './lease-book.js';
import type { LedgerLimit, LimitMetric, LimitStore } from './limit-store.js';

export interface LedgerScope {
  projectId: string;
  keyId: string | null;
  deploymentId: string | null;
}

export interface LedgerAmounts {
  /** Tokens (input and output). */
  tokens: number;
  /** USD. */
  cost: number;
}

type Entry = LeasedEntry;

const noLimits: readonly LedgerLimit[] = [];

/** Start of the window `limit` counts in at `now` (epoch seconds; 0 for a lifetime budget). */
export function windowStartOf(limit: Pick<LedgerLimit, 'period'>, now: number = Date.now()): number {
  switch (limit.period) {
    case 'minute':
      return Math.floor(now / 60_000) * 60;
    case 'day':
      return Math.floor(now / 86_400_000) * 86_400;
    case 'month': {
      const date = new Date(now);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
    }
    default:
      return 0;
  }
}

/** Seconds until the window that starts at `start` ends (undefined: a lifetime budget never resets). */
function windowEndsIn(limit: LedgerLimit, start: number, now: number): number | undefined {
  if (limit.period === 'total') return undefined;
  let end: number;
  if (limit.period === 'minute') end = start + 60;
  else if (limit.period === 'day') end = start + 86_400;
  else {
    const date = new Date(start * 1000);
    end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
  }
  return Math.max(1, Math.ceil(end - now / 1000));
}

function amountFor(metric: LimitMetric, amounts: LedgerAmounts, requests: number): number {
  if (metric === 'requests_per_minute') return requests;
  if (metric === 'cost_budget') return amounts.cost;
  return amounts.tokens;
}

const metricWords: Record<LimitMetric, string> = {
  requests_per_minute: 'requests per minute',
  tokens_per_minute: 'tokens per minute',
  token_budget: 'token budget',
  cost_budget: 'cost budget (USD)',
};

/** A call's hold on the ledger: settle it once, with what the call used. */
export class Reservation {
  #entries: Entry[];
  #settled = false;
  readonly held: LedgerAmounts;

  constructor(
    private readonly ledger: Ledger,
    readonly scope: LedgerScope,
    entries: Entry[],
    held: LedgerAmounts,
  ) {
    this.#entries = entries;
    this.held = { ...held };
  }

  /** Whether any limit applies (no limits: nothing to settle, nothing to extend). */
  get empty(): boolean {
    return this.#entries.length === 0;
  }

  /** Whether a token or cost limit applies (a stream then extends its hold as it goes). */
  get metersTokens(): boolean {
    return this.#entries.some((entry) => entry.limit.metric !== 'requests_per_minute');
  }

  /** Holds `more` on top (a stream past its first allowance); throws `rate_limited` when refused. */
  async extend(more: LedgerAmounts): Promise<void> {
    const extra = await this.ledger.take(
      this.scope,
      this.#entries.map((entry) => entry.limit).filter((limit) => limit.metric !== 'requests_per_minute'),
      more,
      0,
    );
    for (const entry of extra) {
      const own = this.#entries.find((e) => e.account === entry.account);
      if (own) own.amount += entry.amount;
      else this.#entries.push(entry);
    }
    this.held.tokens += more.tokens;
    this.held.cost += more.cost;
  }

  /** Hands the hold back and books what was used. Later calls do nothing. */
  async settle(used: LedgerAmounts): Promise<void> {
    if (this.#settled || !this.#entries.length) return;
    this.#settled = true;
    await this.ledger.settle(this.#entries, used);
  }
}

export interface LedgerOptions {
  db: DatabaseV1 | DatabaseSession;
  limits: LimitStore;
  logger?: Logger | undefined;
  now?: () => number;
  /** How long cached limits are trusted without a notification (the safety net). */
  cacheTtlMs?: number;
  /** Lease sizing and flushing (`{ fraction: 0 }`: a database round trip per reservation). */
  lease?: LeaseOptions;
}

export class Ledger {
  readonly #db: DatabaseSession;
  readonly #limits: LimitStore;
  readonly #now: () => number;
  readonly #byScope: InvalidatingCache<readonly LedgerLimit[]>;
  readonly #keyScopes: InvalidatingCache<readonly string[] | null>;
  readonly #logger: Logger | undefined;
  readonly #settling = new Set<Promise<void>>();
  readonly #leases: LeaseBook;

  constructor(options: LedgerOptions) {
    this.#db = options.db;
    this.#logger = options.logger;
    this.#limits = options.limits;
    this.#now = options.now ?? Date.now;
    const feed = changeFeed(options.db);
    const ttlMs = options.cacheTtlMs ?? 30_000;
    this.#byScope = new InvalidatingCache<readonly LedgerLimit[]>({ ttlMs }).follow(feed, 'ledger_limits');
    this.#keyScopes = new InvalidatingCache<readonly string[] | null>({ ttlMs }).follow(feed, 'api_keys');
    this.#leases = new LeaseBook({
      db: options.db,
      now: this.#now,
      logger: options.logger,
      windowOf: windowStartOf,
      lease: options.lease,
    });
    // A limit changed or went: stop serving from leases taken under it, hand them back.
    feed.subscribe('ledger_limits', (scopeId) => void this.#limitsChanged(scopeId));
  }

  async #limitsChanged(scopeId: string): Promise<void> {
    try {
      const held = this.#leases.scopes();
      for (const id of scopeId === '*' ? held : [scopeId])
        if (held.has(id)) this.#leases.retireChanged(id, await this.#limits.forScope(id));
    } catch (error) {
      // The next call through the changed scope compares caps itself; idle leases go back anyway.
      this.#logger?.warn({ err: error }, 'ledger could not check its leases after a limit change');
    }
  }

  /** The limits of one scope id (cached; an empty list is cached too). */
  limitsOf(scopeId: string): Promise<readonly LedgerLimit[]> {
    return this.#byScope.get(scopeId, async () => {
      const limits = await this.#limits.forScope(scopeId);
      return limits.length ? limits : noLimits;
    });
  }

  /** Throws `forbidden` when the key is scoped to deployments and this call is not for one of them. */
  async checkKeyScope(scope: LedgerScope): Promise<void> {
    if (!scope.keyId) return;
    const keyId = scope.keyId;
    const allowed = await this.#keyScopes.get(keyId, () => this.#limits.keyScope(keyId));
    if (!allowed) return;
    if (scope.deploymentId && allowed.includes(scope.deploymentId)) return;
    throw new KeelError(
      'forbidden',
      scope.deploymentId
        ? `This API key is scoped to other deployments, not ${scope.deploymentId}.`
        : 'This API key is scoped to deployments: it can call only those, not models directly.',
      {
        issues: [
          { code: 'key_scope', path: ['authorization'], message: 'The key is scoped to other deployments' },
        ],
        data: { deploymentId: scope.deploymentId, allowedDeployments: allowed },
      },
    );
  }

  /** Every limit that applies to a call in `scope`. */
  async applicable(scope: LedgerScope): Promise<readonly LedgerLimit[]> {
    const [project, key, deployment] = await Promise.all([
      this.limitsOf(scope.projectId),
      scope.keyId ? this.limitsOf(scope.keyId) : noLimits,
      scope.deploymentId ? this.limitsOf(scope.deploymentId) : noLimits,
    ]);
    if (!key.length && !deployment.length) return project;
    return [...project, ...key, ...deployment];
  }

  /**
   * Reserves one request and `estimate` on every limit of the scope, or throws 429 `rate_limited`
   * naming the limit that refused (with `retryAfterSeconds` and the rate-limit header values).
   */
  async reserve(scope: LedgerScope, estimate: LedgerAmounts): Promise<Reservation> {
    await this.checkKeyScope(scope);
    const limits = await this.applicable(scope);
    if (!limits.length) return new Reservation(this, scope, [], estimate);
    const entries = await this.take(scope, limits, estimate, 1);
    return new Reservation(this, scope, entries, estimate);
  }

  /** @internal Holds `amounts` on every one of `limits` (from the leases, else the database), or none. */
  async take(
    scope: LedgerScope,
    limits: readonly LedgerLimit[],
    amounts: LedgerAmounts,
    requests: number,
  ): Promise<Entry[]> {
    if (!limits.length) return [];
    const now = this.#now();
    const wanted: Wanted[] = limits.map((limit) => ({
      limit,
      windowStart: windowStartOf(limit, now),
      amount: amountFor(limit.metric, amounts, requests),
    }));
    let outcome: Awaited<ReturnType<LeaseBook['take']>>;
    try {
      outcome = await this.#leases.take(wanted).catch((error: { code?: string }) => {
        // PostgreSQL broke a lock cycle with another replica's batched write: once more.
        if (error.code === '40P01') return this.#leases.take(wanted);
        throw error;
      });
    } catch (error) {
      // A limit removed meanwhile (foreign key): forget the cached limits and let the caller retry.
      if ((error as { code?: string }).code === '23503') {
        this.#byScope.clear();
        throw new KeelError('service_unavailable', 'The limits changed during the call; try again.', {
          data: { retryAfterSeconds: 1 },
        });
      }
      throw error;
    }
    if (outcome.ok) return outcome.entries;
    throw await this.#refusal(scope, outcome.refused, now);
  }

  /**
   * Settles `reservation` off the response's path: the answer does not wait for the write. Until
   * it lands the hold stays counted, which can only refuse more, never let more through.
   */
  settleInBackground(reservation: Reservation, used: LedgerAmounts): void {
    if (reservation.empty) return;
    const settling: Promise<void> = reservation
      .settle(used)
      .catch((error: unknown) => this.#logger?.error({ err: error }, 'ledger settlement failed'))
      .finally(() => this.#settling.delete(settling));
    this.#settling.add(settling);
  }

  /**
   * Waits for every settlement in flight, writes all settled usage and hands every spare lease
   * back to the database (shutdown, tests).
   */
  async drain(): Promise<void> {
    while (this.#settling.size) await Promise.all([...this.#settling]);
    await this.#leases.flushAll();
  }

  /**
   * @internal Hands back `entries` and books `used` (requests count once, on the rate window), in
   * memory: the next flush writes it, batched with every other settlement of this replica.
   */
  async settle(entries: readonly Entry[], used: LedgerAmounts, requests = 1): Promise<void> {
    for (const entry of entries) this.#leases.settle(entry, amountFor(entry.limit.metric, used, requests));
  }

  async #refusal(scope: LedgerScope, entry: Wanted, now: number): Promise<KeelError> {
    const { limit } = entry;
    const { rows } = await this.#db.query<{ used: number; reserved: number }>(
      'SELECT used, reserved FROM ledger_counters WHERE limit_id = $1 AND window_start = $2',
      [limit.id, entry.windowStart],
    );
    const used = Number(rows[0]?.used ?? 0);
    const reserved = Number(rows[0]?.reserved ?? 0);
    const remaining = Math.max(0, limit.limit - used - reserved);
    const resetsIn = windowEndsIn(limit, entry.windowStart, now);
    // Held by calls in flight: capacity comes back within moments. Used up: at the window's end.
    const retryAfter = used + entry.amount <= limit.limit ? 1 : resetsIn;
    const name = `${limit.scopeType} ${metricWords[limit.metric]}`;
    const message =
      entry.amount > limit.limit
        ? `This call needs ${round(entry.amount)} but the ${name} is ${round(limit.limit)}.`
        : `The ${name} of ${round(limit.limit)} is reached (${round(used)} used, ${round(reserved)} held by calls in flight and replicas' leases).`;
    return new KeelError('rate_limited', message, {
      issues: [{ code: 'limit_exceeded', path: [limit.scopeType, limit.metric], message: `${name} reached` }],
      data: {
        limit: {
          id: limit.id,
          scopeType: limit.scopeType,
          scopeId: limit.scopeId,
          metric: limit.metric,
          period: limit.period,
          limit: limit.limit,
          used: round(used),
          reserved: round(reserved),
        },
        ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
        rateLimit: {
          name: `${limit.scopeType}-${limit.metric}`,
          limit: limit.limit,
          remaining: round(remaining),
          ...(resetsIn !== undefined ? { resetSeconds: resetsIn } : {}),
        },
        projectId: scope.projectId,
      },
    });
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
