/**
 * @module models/providers/llamacpp/sequence-pool
 * A fixed set of llama.cpp context sequences shared by requests. A request takes a free sequence
 * or waits in line (first come, first served) — more requests than `sequences` queue up rather
 * than fail. A waiting request that is aborted leaves the line.
 */

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

export class SequencePool<T> {
  readonly #free: T[];
  readonly #waiters: Waiter<T>[] = [];
  #closed: Error | undefined;

  constructor(items: readonly T[]) {
    this.#free = [...items];
  }

  /** Requests waiting for a sequence. */
  get waiting(): number {
    return this.#waiters.length;
  }

  get available(): number {
    return this.#free.length;
  }

  /** Resolves with a sequence; rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const item = this.#free.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter<T> = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Returns a sequence: the longest-waiting request gets it, or it goes back to the free list. */
  release(item: T): void {
    const next = this.#waiters.shift();
    if (next) {
      next.cleanup();
      next.resolve(item);
    } else {
      this.#free.push(item);
    }
  }

  /** Fails every waiting and future request (the model is being unloaded). */
  close(reason: Error): void {
    this.#closed = reason;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.cleanup();
      waiter.reject(reason);
    }
  }
}
