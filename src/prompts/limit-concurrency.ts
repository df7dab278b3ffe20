/**
 * @module prompts/limit-concurrency
 * Runs async tasks at most `limit` at a time, in the order they were queued (what `p-limit` does,
 * in a dozen lines).
 *
 * @example
 * const limit = limitConcurrency(4);
 * const outputs = await Promise.all(inputs.map((input) => limit(() => generate(input))));
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function limitConcurrency(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        let pending: Promise<T>;
        try {
          pending = task();
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(resolve, reject).finally(next);
      };
      if (active < limit) start();
      else queue.push(start);
    });
}
