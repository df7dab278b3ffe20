/**
 * @module evals/metrics/statistics
 * Statistics the evaluation runs use on per-item scores:
 * - `bootstrapMean`: percentile bootstrap confidence interval of a mean (seeded, 1,000 resamples);
 * - `pairedBootstrap`: the difference of two runs' means over the same items, its interval and a
 *   two-sided p-value (the share of resampled differences on the other side of 0, doubled);
 * - `pairedTTest`: Student's paired t-test (t, degrees of freedom, two-sided p-value);
 * - `unpairedBootstrap` and `welchTTest`: the same for two runs with no items in common
 *   (independent samples, unequal variances).
 * Everything is deterministic for a given seed (mulberry32 generator).
 */
import { invalid } from './inputs.js';

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return (
    (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower)
  );
}

function check(options: BootstrapOptions): Required<BootstrapOptions> {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > 1_000_000) {
    throw invalid(
      'invalid_option',
      ['options', 'resamples'],
      'resamples must be an integer from 1 to 1,000,000.',
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw invalid('invalid_option', ['options', 'confidence'], 'confidence must be between 0 and 1.');
  }
  return { resamples, confidence, seed: options.seed ?? 13 };
}

/** The means of `resamples` resamples, in the order drawn. */
function drawnMeans(values: readonly number[], options: Required<BootstrapOptions>): Float64Array {
  const random = seededRandom(options.seed);
  const means = new Float64Array(options.resamples);
  const n = values.length;
  for (let r = 0; r < options.resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)] as number;
    means[r] = n ? sum / n : 0;
  }
  return means;
}

function resampledMeans(values: readonly number[], options: Required<BootstrapOptions>): Float64Array {
  return drawnMeans(values, options).sort();
}

function average(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length ? sum / values.length : 0;
}

/** Percentile bootstrap interval of the mean of `values`. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): Interval {
  const settings = check(options);
  const means = resampledMeans(values, settings);
  const tail = (1 - settings.confidence) / 2;
  return {
    mean: average(values),
    low: quantile(means, tail),
    high: quantile(means, 1 - tail),
    confidence: settings.confidence,
    resamples: settings.resamples,
  };
}

function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) {
    throw invalid(
      'length_mismatch',
      ['b'],
      `The runs have ${a.length} and ${b.length} items; pair them item by item.`,
    );
  }
  if (a.length < 2) throw invalid('too_few_items', ['a'], 'A paired comparison needs at least two items.');
  return a.map((value, i) => value - (b[i] as number));
}

export interface PairedBootstrapResult extends Interval {
  p_value: number;
}

/** Paired bootstrap of mean(a − b). */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): PairedBootstrapResult {
  const differences = pairedDifferences(a, b);
  const interval = bootstrapMean(differences, options);
  const means = resampledMeans(differences, check(options));
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (const mean of means) {
    if (mean <= 0) atOrBelow++;
    if (mean >= 0) atOrAbove++;
  }
  const p = Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / means.length);
  return { ...interval, p_value: p };
}

export interface TTestResult {
  mean_difference: number;
  t: number;
  df: number;
  p_value: number;
}

/** Student's paired t-test of mean(a − b) = 0, two-sided. */
export function pairedTTest(a: readonly number[], b: readonly number[]): TTestResult {
  const differences = pairedDifferences(a, b);
  const n = differences.length;
  const mean = average(differences);
  let squares = 0;
  for (const d of differences) squares += (d - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const df = n - 1;
  if (sd === 0)
    return {
      mean_difference: mean,
      t: mean === 0 ? 0 : Math.sign(mean) * Infinity,
      df,
      p_value: mean === 0 ? 1 : 0,
    };
  const t = mean / (sd / Math.sqrt(n));
  return { mean_difference: mean, t, df, p_value: studentTwoSided(t, df) };
}

/** Welch's t-test of mean(a) − mean(b) = 0 for independent samples (unequal variances), two-sided. */
export function welchTTest(a: readonly number[], b: readonly number[]): TTestResult {
  if (a.length < 2 || b.length < 2)
    throw invalid('too_few_items', [a.length < 2 ? 'a' : 'b'], 'Each side needs at least two items.');
  const variance = (values: readonly number[], mean: number) => {
    let squares = 0;
    for (const value of values) squares += (value - mean) ** 2;
    return squares / (values.length - 1);
  };
  const meanA = average(a);
  const meanB = average(b);
  const difference = meanA - meanB;
  const va = variance(a, meanA) / a.length;
  const vb = variance(b, meanB) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0)
    return {
      mean_difference: difference,
      t: difference === 0 ? 0 : Math.sign(difference) * Infinity,
      df: a.length + b.length - 2,
      p_value: difference === 0 ? 1 : 0,
    };
  // Welch–Satterthwaite degrees of freedom.
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = difference / se;
  return { mean_difference: difference, t, df, p_value: studentTwoSided(t, df) };
}

/**
 * Bootstrap of mean(a) − mean(b) for independent samples: each side resampled on its own (a run
 * pair with no items in common), with a two-sided p-value the way `pairedBootstrap` has it.
 */
export function unpairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): PairedBootstrapResult {
  if (a.length < 2 || b.length < 2)
    throw invalid('too_few_items', [a.length < 2 ? 'a' : 'b'], 'Each side needs at least two items.');
  const settings = check(options);
  const meansA = drawnMeans(a, settings);
  // An independent stream for B, still fixed by the seed.
  const meansB = drawnMeans(b, { ...settings, seed: settings.seed + 0x9e3779b9 });
  const differences = new Float64Array(settings.resamples);
  for (let r = 0; r < settings.resamples; r++) differences[r] = (meansA[r] as number) - (meansB[r] as number);
  differences.sort();
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (const difference of differences) {
    if (difference <= 0) atOrBelow++;
    if (difference >= 0) atOrAbove++;
  }
  const tail = (1 - settings.confidence) / 2;
  return {
    mean: average(a) - average(b),
    low: quantile(differences, tail),
    high: quantile(differences, 1 - tail),
    confidence: settings.confidence,
    resamples: settings.resamples,
    p_value: Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / differences.length),
  };
}

/** Two-sided tail probability of Student's t: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTwoSided(t: number, df: number): number {
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}
