/**
 * @module tuning/prompt-optimisation/few-shot
 * Few-shot example selection from a dataset's train part: each pool item is a hashed character
 * n-gram vector; the k examples are picked greedily by maximal marginal relevance — similarity to
 * the inputs the template will answer (the centroid of the dev inputs for one fixed set, or the
 * one input being answered when examples are retrieved per input) against similarity to the
 * examples already picked (diversity) — under a per-label quota (label balance).
 */
import {
  type CharNgramSpec,
  charNgramSpec,
  featurise,
  type SparseVector,
} from '../../core/text/char-ngram-features.js';

export interface ExampleCandidate {
  input: string;
  output: string;
  /** The class label, when the dataset has one (balance is kept over it). */
  label: string | null;
}

export interface SelectOptions {
  k: number;
  /** 0: similarity only … 1: diversity only (default 0.3). */
  diversity?: number | undefined;
  spec?: CharNgramSpec | undefined;
}

function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i] as number;
    const y = b.indices[j] as number;
    if (x === y) sum += (a.values[i++] as number) * (b.values[j++] as number);
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

/** The L2-normalised mean of sparse vectors. */
function centroid(vectors: readonly SparseVector[]): SparseVector {
  const sums = new Map<number, number>();
  for (const v of vectors) {
    v.indices.forEach((index, k) => {
      sums.set(index, (sums.get(index) ?? 0) + (v.values[k] as number));
    });
  }
  const entries = [...sums].sort((a, b) => a[0] - b[0]);
  const norm = Math.sqrt(entries.reduce((s, [, x]) => s + x * x, 0)) || 1;
  return {
    indices: Uint32Array.from(entries.map(([i]) => i)),
    values: Float32Array.from(entries.map(([, x]) => x / norm)),
  };
}

/**
 * The train pool, featurised once: `select` picks `k` examples for some queries (the inputs the
 * template will see — all the dev inputs for one fixed set, or one input for a set retrieved per
 * input). Deterministic: ties go to the earlier pool item.
 */
export class ExampleIndex {
  readonly #spec: CharNgramSpec;
  readonly #vectors: SparseVector[];
  readonly #labels: string[];

  constructor(
    readonly pool: readonly ExampleCandidate[],
    spec?: CharNgramSpec | undefined,
  ) {
    this.#spec = spec ?? charNgramSpec({ dimensions: 2 ** 16 });
    this.#vectors = pool.map((c) => featurise(c.input, this.#spec));
    this.#labels = [...new Set(pool.map((c) => c.label).filter((l): l is string => l !== null))];
  }

  select(queries: readonly string[], options: Omit<SelectOptions, 'spec'>): ExampleCandidate[] {
    const { pool } = this;
    const vectors = this.#vectors;
    const diversity = options.diversity ?? 0.3;
    const query = centroid(queries.map((q) => featurise(q, this.#spec)));
    const relevance = vectors.map((v) => dot(v, query));
    const labels = this.#labels;
    const quota = labels.length > 0 ? Math.ceil(options.k / labels.length) : Number.POSITIVE_INFINITY;
    const taken = new Map<string, number>();
    const picked: number[] = [];
    const maxSim = new Float64Array(pool.length);
    while (picked.length < Math.min(options.k, pool.length)) {
      let best = -1;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let pass = 0; pass < 2 && best < 0; pass++) {
        for (let i = 0; i < pool.length; i++) {
          if (picked.includes(i)) continue;
          const label = pool[i]!.label;
          // First pass keeps labels balanced; the second fills up when a label has too few items.
          if (pass === 0 && label !== null && (taken.get(label) ?? 0) >= quota) continue;
          const score =
            (1 - diversity) * (relevance[i] as number) -
            diversity * (picked.length ? (maxSim[i] as number) : 0);
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
      }
      if (best < 0) break;
      picked.push(best);
      const label = pool[best]!.label;
      if (label !== null) taken.set(label, (taken.get(label) ?? 0) + 1);
      for (let i = 0; i < pool.length; i++) {
        maxSim[i] = Math.max(maxSim[i] as number, dot(vectors[i]!, vectors[best]!));
      }
    }
    return picked.map((i) => pool[i]!);
  }
}

/** Picks `k` examples for the `queries` from the pool (see `ExampleIndex.select`). */
export function selectExamples(
  pool: readonly ExampleCandidate[],
  queries: readonly string[],
  options: SelectOptions,
): ExampleCandidate[] {
  return new ExampleIndex(pool, options.spec).select(queries, options);
}
