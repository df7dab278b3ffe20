/**
 * @module prompts/few-shot-pool
 * Few-shot example selection from a pool, shared by Prompt Lab (a template's `few_shot` pool,
 * picked per input at render time) and the prompt search (a dataset's train part): each pool item
 * is a hashed character n-gram vector; the k examples are picked greedily by maximal marginal
 * relevance — similarity to the inputs the template will answer (the centroid of the dev inputs
 * for one fixed set, or the one input being answered when examples are picked per input) against
 * similarity to the examples already picked (diversity) — under a per-label quota (label balance).
 * Deterministic: the same pool and input always give the same examples.
 */
import { createHash } from 'node:crypto';
import {
  FEW_SHOT_DEFAULT_DIVERSITY,
  FEW_SHOT_POOL_LIMIT_BYTES,
  FEW_SHOT_POOL_MAX_EXAMPLES,
  type FewShotExample,
  type FewShotPool,
} from '../api/prompts.js';
import type { Issue } from '../core/errors.js';
import {
  type CharNgramSpec,
  charNgramSpec,
  featurise,
  type SparseVector,
} from '../core/text/char-ngram-features.js';

export interface ExampleCandidate {
  input: string;
  output: string;
  /** The class label, when the dataset has one (balance is kept over it). */
  label: string | null;
}

export interface SelectOptions {
  k: number;
  /** 0: similarity only … 1: diversity only (default `FEW_SHOT_DEFAULT_DIVERSITY`). */
  diversity?: number | undefined;
  /** Keep labels balanced (default true). */
  balance?: boolean | undefined;
  spec?: CharNgramSpec | undefined;
}

/**
 * A sparse vector's dot product with a dense one: the same products, summed in the same order, as
 * a merge of two sparse vectors, so selection is unchanged, without the merge's branches.
 */
function denseDot(a: SparseVector, dense: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.indices.length; i++)
    sum += (a.values[i] as number) * (dense[a.indices[i] as number] as number);
  return sum;
}

/** Writes a sparse vector into a dense buffer (`clear`: zeroes its entries again). */
function scatter(dense: Float32Array, v: SparseVector, clear = false): void {
  for (let i = 0; i < v.indices.length; i++)
    dense[v.indices[i] as number] = clear ? 0 : (v.values[i] as number);
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
  /** A zeroed buffer `select` scatters one vector into at a time (selection is synchronous). */
  #dense: Float32Array | undefined;

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
    const diversity = options.diversity ?? FEW_SHOT_DEFAULT_DIVERSITY;
    this.#dense ??= new Float32Array(this.#spec.dimensions);
    const dense = this.#dense;
    const query = centroid(queries.map((q) => featurise(q, this.#spec)));
    scatter(dense, query);
    const relevance = vectors.map((v) => denseDot(v, dense));
    scatter(dense, query, true);
    const labels = options.balance === false ? [] : this.#labels;
    const quota = labels.length > 0 ? Math.ceil(options.k / labels.length) : Number.POSITIVE_INFINITY;
    const taken = new Map<string, number>();
    const picked: number[] = [];
    const isPicked = new Uint8Array(pool.length);
    const maxSim = new Float64Array(pool.length);
    const wanted = Math.min(options.k, pool.length);
    while (picked.length < wanted) {
      let best = -1;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let pass = 0; pass < 2 && best < 0; pass++) {
        for (let i = 0; i < pool.length; i++) {
          if (isPicked[i]) continue;
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
      isPicked[best] = 1;
      const label = pool[best]!.label;
      if (label !== null) taken.set(label, (taken.get(label) ?? 0) + 1);
      if (picked.length === wanted) break;
      scatter(dense, vectors[best]!);
      for (let i = 0; i < pool.length; i++)
        maxSim[i] = Math.max(maxSim[i] as number, denseDot(vectors[i]!, dense));
      scatter(dense, vectors[best]!, true);
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

/** The UTF-8 bytes of a pool's examples as JSON (what `FEW_SHOT_POOL_LIMIT_BYTES` limits). */
export const poolBytes = (examples: readonly FewShotExample[]) =>
  Buffer.byteLength(JSON.stringify(examples), 'utf8');

/** What is wrong with a template's pool beyond its schema: k over the pool size, too many bytes. */
export function fewShotIssues(pool: FewShotPool): Issue[] {
  const issues: Issue[] = [];
  if (pool.k > pool.examples.length) {
    issues.push({
      code: 'few_shot_k_exceeds_pool',
      path: ['template', 'few_shot', 'k'],
      message: `k is ${pool.k} but the pool holds ${pool.examples.length} example(s)`,
    });
  }
  const bytes = poolBytes(pool.examples);
  if (bytes > FEW_SHOT_POOL_LIMIT_BYTES) {
    issues.push({
      code: 'few_shot_pool_too_large',
      path: ['template', 'few_shot', 'examples'],
      message: `the pool is ${bytes} bytes; at most ${FEW_SHOT_POOL_LIMIT_BYTES}`,
    });
  }
  return issues;
}

/** The first pool items that fit a template's pool (count and bytes), as pool examples. */
export function fitPool(candidates: readonly ExampleCandidate[]): FewShotExample[] {
  const out: FewShotExample[] = [];
  let bytes = 2;
  for (const c of candidates) {
    if (out.length >= FEW_SHOT_POOL_MAX_EXAMPLES) break;
    const example: FewShotExample = {
      input: c.input,
      output: c.output,
      ...(c.label !== null ? { label: c.label } : {}),
    };
    const size = Buffer.byteLength(JSON.stringify(example), 'utf8') + (out.length ? 1 : 0);
    if (bytes + size > FEW_SHOT_POOL_LIMIT_BYTES) break;
    bytes += size;
    out.push(example);
  }
  return out;
}

/**
 * Indexes are featurised once per pool: by the examples array (a cached version's, or a search
 * candidate's shared one), else by the pool's content for bodies read afresh.
 */
const byArray = new WeakMap<readonly FewShotExample[], ExampleIndex>();
const byContent = new Map<string, ExampleIndex>();
const CONTENT_CACHE_SIZE = 16;

function poolIndex(examples: readonly FewShotExample[]): ExampleIndex {
  let index = byArray.get(examples);
  if (index) return index;
  const key = createHash('sha256').update(JSON.stringify(examples)).digest('hex');
  index = byContent.get(key);
  if (index) byContent.delete(key);
  else
    index = new ExampleIndex(
      examples.map((e) => ({ input: e.input, output: e.output, label: e.label ?? null })),
    );
  byContent.set(key, index);
  if (byContent.size > CONTENT_CACHE_SIZE) byContent.delete(byContent.keys().next().value!);
  byArray.set(examples, index);
  return index;
}

/** The examples a template's pool gives one input (its variables' texts, in order, one per line). */
export function examplesForInput(pool: FewShotPool, texts: ReadonlyMap<string, string>): ExampleCandidate[] {
  return poolIndex(pool.examples).select([[...texts.values()].join('\n')], {
    k: pool.k,
    diversity: pool.diversity,
    balance: pool.balance_labels,
  });
}
