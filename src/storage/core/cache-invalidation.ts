/**
 * @module storage/core/cache-invalidation
 * In-memory caches of database rows that every replica drops as soon as the rows change.
 *
 * Migration 0007 puts a trigger on each table the request path caches: a committed change sends
 * `NOTIFY keel_cache '<table>:<key>'`. A ChangeFeed — one per database, one LISTEN — fans the
 * notifications out to the caches that follow that table. On PostgreSQL every replica hears every
 * change within milliseconds; on PGlite (one process) the notification arrives before the
 * statement that committed it resolves. A payload of `*` (the listening connection came back and
 * may have missed some) empties every cache. A TTL bounds staleness should a notification be lost.
 *
 * @example
 * const policies = new InvalidatingCache<Policy | null>({ ttlMs: 60_000 });
 * policies.follow(changeFeed(db), 'guardrail_policies'); // keyed by project id
 * const policy = await policies.get(projectId, () => loadPolicy(projectId));
 */
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';

export const CACHE_CHANNEL = 'keel_cache';

type Subscriber = (key: string) => void;

/** The change notifications of one database, by table. */
export class ChangeFeed {
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  #listening: Promise<void> | undefined;

  constructor(private readonly db: Partial<Pick<DatabaseV1, 'listen'>>) {}

  /** Calls `onChange(key)` for every committed change to `table` (`*`: anything may have changed). */
  subscribe(table: string, onChange: Subscriber): () => void {
    let set = this.#subscribers.get(table);
    if (!set) {
      set = new Set();
      this.#subscribers.set(table, set);
    }
    set.add(onChange);
    void this.ready();
    return () => set.delete(onChange);
  }

  /** Resolves once the database delivers notifications (immediately for engines that cannot). */
  ready(): Promise<void> {
    this.#listening ??= this.db.listen
      ? this.db
          .listen(CACHE_CHANNEL, (payload) => this.#dispatch(payload))
          .then(
            () => undefined,
            () => {
              // Without notifications the caches still expire by TTL; try again on the next subscribe.
              this.#listening = undefined;
            },
          )
      : Promise.resolve();
    return this.#listening;
  }

  #dispatch(payload: string): void {
    if (payload === '*') {
      for (const set of this.#subscribers.values()) for (const subscriber of set) subscriber('*');
      return;
    }
    const separator = payload.indexOf(':');
    if (separator <= 0) return;
    const set = this.#subscribers.get(payload.slice(0, separator));
    if (!set) return;
    const key = payload.slice(separator + 1);
    for (const subscriber of set) subscriber(key);
  }
}

const feeds = new WeakMap<object, ChangeFeed>();

/** The one feed of `db` (created on first use). */
export function changeFeed(db: DatabaseSession & Partial<Pick<DatabaseV1, 'listen'>>): ChangeFeed {
  let feed = feeds.get(db);
  if (!feed) {
    feed = new ChangeFeed(db);
    feeds.set(db, feed);
  }
  return feed;
}

interface Entry<V> {
  loadedAt: number;
  value?: V;
  loaded: boolean;
  pending?: Promise<V>;
}

export interface InvalidatingCacheOptions {
  /** Longest an entry is trusted without a notification; the safety net, not the mechanism. */
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * A map from keys to loaded values — `null` included, so "there is none" is cached too — that
 * loads each key once however many callers ask at the same time, and forgets keys on change.
 */
export class InvalidatingCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: InvalidatingCacheOptions) {
    this.#ttl = options.ttlMs;
    this.#max = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Drops entries when `table` changes: the key the notification names (mapped by `keyOf`) or all. */
  follow(feed: ChangeFeed, table: string, keyOf: (key: string) => string | '*' = (key) => key): this {
    feed.subscribe(table, (key) => {
      const cacheKey = key === '*' ? '*' : keyOf(key);
      if (cacheKey === '*') this.clear();
      else this.invalidate(cacheKey);
    });
    return this;
  }

  /** The value for `key`: cached, or loaded by `load` (once, however many ask). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.loadedAt < this.#ttl) {
      if (entry.loaded) return Promise.resolve(entry.value as V);
      if (entry.pending) return entry.pending;
    }
    const fresh: Entry<V> = { loadedAt: this.#now(), loaded: false };
    // A change notified while the load runs removes `fresh`; its result is then not kept.
    fresh.pending = load().then(
      (value) => {
        fresh.value = value;
        fresh.loaded = true;
        delete fresh.pending;
        return value;
      },
      (error: unknown) => {
        if (this.#entries.get(key) === fresh) this.#entries.delete(key);
        throw error;
      },
    );
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(key, fresh);
    return fresh.pending;
  }

  invalidate(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
