/**
 * @module evals/datasets/sampling
 * Seeded randomness for splits and samples: the same seed always gives the same split and the
 * same sample, on every machine (mulberry32, not `Math.random`).
 */
import { KeelError } from '../../core/errors.js';
import { seededRandom } from '../metrics/index.js';

export { seededRandom };

export interface SampleOptions {
  /** How many items; or */
  size?: number | undefined;
  /** which fraction of them (0 < fraction ≤ 1). */
  fraction?: number | undefined;
  seed?: number | undefined;
}

/**
 * A seeded sample of `ordinals`, returned in their original order. Without a size or fraction,
 * every ordinal.
 */
export function sampleOrdinals(ordinals: readonly number[], options: SampleOptions = {}): number[] {
  const { size, fraction } = options;
  if (size === undefined && fraction === undefined) return [...ordinals];
  if (fraction !== undefined && !(fraction > 0 && fraction <= 1)) {
    throw new KeelError('invalid_request', 'A sample fraction is above 0 and at most 1.', {
      issues: [{ code: 'invalid_sample', path: ['sample', 'fraction'], message: String(fraction) }],
    });
  }
  const wanted = Math.min(ordinals.length, size ?? Math.round(ordinals.length * fraction!));
  const shuffled = [...ordinals];
  const next = seededRandom(options.seed ?? 0);
  // A partial Fisher–Yates: the first `wanted` places are a uniform sample.
  for (let index = 0; index < wanted; index += 1) {
    const pick = index + Math.floor(next() * (shuffled.length - index));
    [shuffled[index], shuffled[pick]] = [shuffled[pick]!, shuffled[index]!];
  }
  return shuffled.slice(0, wanted).sort((a, b) => a - b);
}
