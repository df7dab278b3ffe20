/**
 * @module deployments/monitoring/statistics
 * The arithmetic of monitors, pure: percentiles, the population stability index (PSI) of a
 * numeric feature against a baseline (bins from the baseline's quantiles) and of a categorical
 * one (language mix), centroids and cosine distances of embeddings, and group fairness
 * (disparate impact and statistical parity difference, as AIF360 defines them).
 *
 * PSI reads: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a significant one.
 */

/** The `q` quantile (0–1) of `values`, linear between ranks; null when there are none. */
export function percentile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function mean(values: readonly number[]): number | null {
  if (!values.length) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

// Empty bins would make PSI infinite: every share is at least this.
const floorShare = 1e-4;

function psiOfShares(expected: readonly number[], actual: readonly number[]): number {
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, floorShare);
    const a = Math.max(actual[i]!, floorShare);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** PSI of a numeric feature: `bins` bins cut at the baseline's quantiles. Null without data. */
export function numericPsi(
  baseline: readonly number[],
  current: readonly number[],
  bins = 10,
): number | null {
  if (!baseline.length || !current.length) return null;
  const sorted = [...baseline].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / bins))]!;
    if (!edges.length || edge > edges.at(-1)!) edges.push(edge);
  }
  const shares = (values: readonly number[]) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const value of values) {
      let bin = 0;
      while (bin < edges.length && value >= edges[bin]!) bin++;
      counts[bin]!++;
    }
    return counts.map((count) => count / values.length);
  };
  return psiOfShares(shares(baseline), shares(current));
}

/** Shares of each category. */
export function mix(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  for (const key of Object.keys(counts)) counts[key]! /= values.length || 1;
  return counts;
}

/** PSI of a categorical feature (language mix). Null without data. */
export function categoricalPsi(baseline: readonly string[], current: readonly string[]): number | null {
  if (!baseline.length || !current.length) return null;
  const expected = mix(baseline);
  const actual = mix(current);
  const categories = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
  return psiOfShares(
    categories.map((category) => expected[category] ?? 0),
    categories.map((category) => actual[category] ?? 0),
  );
}

/** The mean vector of `vectors` (null without any). */
export function centroid(vectors: readonly (readonly number[])[]): number[] | null {
  if (!vectors.length) return null;
  const dimensions = vectors[0]!.length;
  const sum = new Array<number>(dimensions).fill(0);
  for (const vector of vectors) for (let i = 0; i < dimensions; i++) sum[i]! += vector[i] ?? 0;
  return sum.map((value) => value / vectors.length);
}

/** 1 − cosine similarity (0: same direction; 0 when either vector is zero). */
export function cosineDistance(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  if (!na || !nb) return 0;
  return 1 - dot / Math.sqrt(na * nb);
}

export interface GroupFairness {
  groups: Record<string, { count: number; favourable: number; rate: number }>;
  referenceGroup: string;
  /** Worst group's favourable rate over the reference group's (1: parity; below 0.8 the usual alarm). */
  disparateImpact: number | null;
  /** Worst group's rate minus the reference group's (0: parity). */
  statisticalParityDifference: number;
}

/**
 * Group fairness of classification outcomes across a protected attribute; the reference group
 * is the given one, else the one with the highest favourable rate. Null with fewer than two groups.
 */
export function groupFairness(
  rows: readonly { group: string; outcome: string }[],
  favourable: readonly string[],
  referenceGroup?: string,
): GroupFairness | null {
  const wanted = new Set(favourable.map((value) => value.toLowerCase()));
  const groups: GroupFairness['groups'] = {};
  for (const { group, outcome } of rows) {
    const entry = groups[group] ?? { count: 0, favourable: 0, rate: 0 };
    groups[group] = entry;
    entry.count++;
    if (wanted.has(outcome.toLowerCase())) entry.favourable++;
  }
  const names = Object.keys(groups);
  if (names.length < 2) return null;
  for (const name of names) groups[name]!.rate = groups[name]!.favourable / groups[name]!.count;
  const reference =
    referenceGroup && groups[referenceGroup]
      ? referenceGroup
      : names.sort((a, b) => groups[b]!.rate - groups[a]!.rate || (a < b ? -1 : 1))[0]!;
  const referenceRate = groups[reference]!.rate;
  let worst = reference;
  for (const name of names) if (groups[name]!.rate < groups[worst]!.rate) worst = name;
  return {
    groups,
    referenceGroup: reference,
    disparateImpact: referenceRate > 0 ? groups[worst]!.rate / referenceRate : null,
    statisticalParityDifference: groups[worst]!.rate - referenceRate,
  };
}
