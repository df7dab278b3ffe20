/**
 * @module evals/metrics/fairness
 * Group fairness of classification or extraction outcomes across a protected attribute, as IBM
 * AIF360 defines it (the watsonx.governance "bias" monitor is disparate impact):
 * - favourable rate of a group = share of its items whose outcome is the favourable one;
 * - disparate impact = rate(group) / rate(reference group); 1 is parity, below 0.8 the usual alarm;
 * - statistical parity difference = rate(group) − rate(reference group); 0 is parity.
 * The reference (privileged) group is `options.reference_group`, else the group with the highest
 * favourable rate. With more than two groups, `score` is the worst group (lowest ratio, largest
 * absolute difference) and every group is in `details.groups`.
 */
import { invalid } from './inputs.js';

export interface GroupRate {
  count: number;
  favourable: number;
  rate: number;
  disparate_impact: number | null;
  statistical_parity_difference: number;
}

export interface FairnessReport {
  reference_group: string;
  favourable: string[];
  groups: Record<string, GroupRate>;
  disparate_impact: number;
  statistical_parity_difference: number;
  worst_group: string | null;
  outcomes: number[];
}

export function fairness(
  outcomes: readonly string[],
  groups: readonly string[],
  favourable: readonly string[],
  referenceGroup?: string,
): FairnessReport {
  const favourableSet = new Set(favourable);
  const stats = new Map<string, { count: number; favourable: number }>();
  const indicators = outcomes.map((outcome, i) => {
    const group = groups[i] as string;
    const entry = stats.get(group) ?? { count: 0, favourable: 0 };
    entry.count++;
    const good = favourableSet.has(outcome) ? 1 : 0;
    entry.favourable += good;
    stats.set(group, entry);
    return good;
  });
  if (stats.size < 2) {
    throw invalid(
      'too_few_groups',
      ['groups'],
      'Fairness needs at least two groups in the protected attribute.',
    );
  }
  const rates = new Map([...stats].map(([group, s]) => [group, s.favourable / s.count]));
  let reference = referenceGroup;
  if (reference === undefined) {
    reference = [...rates].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] as string;
  } else if (!rates.has(reference)) {
    throw invalid(
      'unknown_group',
      ['options', 'reference_group'],
      `No item belongs to the group ${reference}.`,
    );
  }
  const referenceRate = rates.get(reference) as number;
  const report: Record<string, GroupRate> = {};
  let worstDifference = 0;
  let worstGroup: string | null = null;
  for (const [group, s] of stats) {
    const rate = rates.get(group) as number;
    const ratio = referenceRate > 0 ? rate / referenceRate : null;
    const difference = rate - referenceRate;
    report[group] = {
      count: s.count,
      favourable: s.favourable,
      rate,
      disparate_impact: ratio,
      statistical_parity_difference: difference,
    };
    if (group === reference) continue;
    if (worstGroup === null || Math.abs(difference) > Math.abs(worstDifference)) {
      worstDifference = difference;
      worstGroup = group;
    }
  }
  const ratios = Object.entries(report)
    .filter(([group]) => group !== reference)
    .map(([, r]) => r.disparate_impact)
    .filter((r): r is number => r !== null);
  return {
    reference_group: reference,
    favourable: [...favourableSet],
    groups: report,
    disparate_impact: ratios.length ? Math.min(...ratios) : referenceRate === 0 ? 1 : 0,
    statistical_parity_difference: worstDifference,
    worst_group: worstGroup,
    outcomes: indicators,
  };
}
