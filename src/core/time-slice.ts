/**
 * @module core/time-slice
 * Long synchronous work on the event loop (tokenizing or hashing megabytes of text) stalls every
 * other request, `/health` included. Such loops check `slicer.due()` between small steps and, when
 * the slice's time is up, `await slicer.pause(signal)`: the loop gives other callbacks a turn
 * (`setImmediate` runs after pending I/O) and stops when the caller has gone away.
 *
 * @example
 * const slicer = new TimeSlicer();
 * for (const part of parts) {
 *   work(part);
 *   if (slicer.due()) await slicer.pause(signal);
 * }
 */
import { KeelError } from './errors.js';

/** Default time a loop may hold the event loop before it yields, in milliseconds. */
export const DEFAULT_SLICE_MS = 8;

export class TimeSlicer {
  #since = performance.now();

  constructor(readonly sliceMs = DEFAULT_SLICE_MS) {}

  /** True when the current slice has used its time. */
  due(): boolean {
    return performance.now() - this.#since >= this.sliceMs;
  }

  /** Lets the event loop run, then starts a new slice; throws `client_closed` once `signal` aborts. */
  async pause(signal?: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new KeelError('client_closed', 'The request was cancelled.');
    this.#since = performance.now();
  }
}
