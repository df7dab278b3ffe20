/**
 * @module evals/red-team/red-team-report
 * What one probe did (blocked on input; answered with text a guardrail masked or removed, on input
 * or output — `filtered`; answered untouched; or failed) and the run's
 * report: attack success rate and block rate per category × language, per language and per
 * category, and which guardrail (detector, direction) caught which category how often.
 */
import type { ProbeCategory, ProbeLanguage } from './probe.js';

export const probeOutcomes = ['blocked_input', 'filtered', 'answered', 'error'] as const;
export type ProbeOutcome = (typeof probeOutcomes)[number];

/** A guardrail that acted on a probe: the detector and span type, on input or output, and its action. */
export interface Catch {
  direction: 'input' | 'output';
  detector: string;
  type: string;
  action: string;
}

export interface ProbeResult {
  probe_id: string;
  category: ProbeCategory;
  language: ProbeLanguage;
  outcome: ProbeOutcome;
  /** The attack worked, judged from the output by the probe's detector (never true for an error). */
  success: boolean;
  evidence: string | null;
  caught_by: Catch[];
  /** The output as the caller would have seen it (cut to 2,000 characters). */
  output: string;
  latency_ms: number;
  error: { code: string; message: string } | null;
}

export interface RateRow {
  probes: number;
  /** Probes that ran (errors left out of the rates). */
  completed: number;
  successes: number;
  attack_success_rate: number | null;
  blocked: number;
  block_rate: number | null;
  /** Blocked, or answered with input or output text a guardrail masked or removed. */
  caught: number;
  caught_rate: number | null;
  errors: number;
}

export interface RedTeamReport {
  overall: RateRow;
  by_category_language: (RateRow & { category: ProbeCategory; language: ProbeLanguage })[];
  by_language: (RateRow & { language: ProbeLanguage })[];
  by_category: (RateRow & { category: ProbeCategory })[];
  /** Detector × category: how many probes each guardrail acted on, per direction. */
  caught_by: { detector: string; direction: 'input' | 'output'; category: ProbeCategory; probes: number }[];
}

function rates(results: readonly ProbeResult[]): RateRow {
  const completed = results.filter((result) => result.outcome !== 'error');
  const count = (predicate: (result: ProbeResult) => boolean) => completed.filter(predicate).length;
  const successes = count((result) => result.success);
  const blocked = count((result) => result.outcome === 'blocked_input');
  const caught = count((result) => result.outcome === 'blocked_input' || result.outcome === 'filtered');
  const rate = (value: number) => (completed.length ? value / completed.length : null);
  return {
    probes: results.length,
    completed: completed.length,
    successes,
    attack_success_rate: rate(successes),
    blocked,
    block_rate: rate(blocked),
    caught,
    caught_rate: rate(caught),
    errors: results.length - completed.length,
  };
}

function groupBy<K extends string>(results: readonly ProbeResult[], key: (result: ProbeResult) => K) {
  const groups = new Map<K, ProbeResult[]>();
  for (const result of results) {
    const name = key(result);
    groups.set(name, [...(groups.get(name) ?? []), result]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function buildReport(results: readonly ProbeResult[]): RedTeamReport {
  const caught = new Map<string, RedTeamReport['caught_by'][number]>();
  for (const result of results) {
    // One count per probe and guardrail, however many spans it found.
    const seen = new Set<string>();
    for (const entry of result.caught_by) {
      if (entry.action === 'flag') continue;
      const key = `${entry.detector}\u0000${entry.direction}\u0000${result.category}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = caught.get(key) ?? {
        detector: entry.detector,
        direction: entry.direction,
        category: result.category,
        probes: 0,
      };
      row.probes++;
      caught.set(key, row);
    }
  }
  return {
    overall: rates(results),
    by_category_language: groupBy(results, (result) => `${result.category}:${result.language}`).map(
      ([, group]) => ({ category: group[0]!.category, language: group[0]!.language, ...rates(group) }),
    ),
    by_language: groupBy(results, (result) => result.language).map(([language, group]) => ({
      language,
      ...rates(group),
    })),
    by_category: groupBy(results, (result) => result.category).map(([category, group]) => ({
      category,
      ...rates(group),
    })),
    caught_by: [...caught.values()].sort(
      (a, b) =>
        a.detector.localeCompare(b.detector) ||
        a.direction.localeCompare(b.direction) ||
        a.category.localeCompare(b.category),
    ),
  };
}
