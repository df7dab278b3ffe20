/**
 * @module core/scoped-storage
 * `AsyncLocalStorage` that costs nothing while no scope is open. On Node 20 an enabled storage
 * puts a promise hook on every promise the process creates — every await of every request, the
 * model calls' hot path included — and a storage stays enabled once `run` has been called. This
 * one counts the scopes in flight and disables the storage when the last of them ends, so the
 * hooks run only while some call is actually inside a scope.
 *
 * A scope lasts while `work` runs: until it returns or, when it returns a promise, until that
 * settles. Work it leaves behind (a promise it does not await, a stream read after it returned)
 * sees the scope only while another scope keeps the storage enabled, so such work takes what it
 * needs with it explicitly.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class ScopedStorage<T> {
  readonly #storage = new AsyncLocalStorage<T>();
  #open = 0;
  readonly #closeOne = () => {
    this.#open -= 1;
    if (this.#open === 0) this.#storage.disable();
  };

  /** Runs `work` with `store` as the current store, for it and everything it awaits or starts. */
  run<R>(store: T, work: () => R): R {
    this.#open += 1;
    let result: R;
    try {
      result = this.#storage.run(store, work);
    } catch (error) {
      this.#closeOne();
      throw error;
    }
    if (isThenable(result)) result.then(this.#closeOne, this.#closeOne);
    else this.#closeOne();
    return result;
  }

  /** The store of the scope the caller runs in, or undefined outside every scope. */
  getStore(): T | undefined {
    return this.#open === 0 ? undefined : this.#storage.getStore();
  }

  /** Scopes in flight (for tests). */
  get open(): number {
    return this.#open;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
