/**
 * @module evals/red-team/red-team-report
 * What one probe did (blocked on input; answered with text a guardrail masked or removed, on input,
 * in a retrieved passage or on output — `filtered`; answered untouched; refused by a RAG answer
 * path before its model was called — `refused_retrieval`; or failed) and the run's
 * report: attack success rate and block rate per category × language, per language and per
 * category, which guardrail (detector, direction) caught which category how often, and per
 * detector the probes it caught, blocked or only flagged.
 */
import type { ProbeCategory, ProbeLanguage } from './probe.js';

export const probeOutcomes = ['blocked_input', 'filtered', 'answered', 'refused_retrieval', 'error'] as const;
export type ProbeOutcome = (typeof probeOutcomes)[number];

/**
 * A guardrail that acted on a probe: the detector and span type, its action, and where: the input,
 * a retrieved passage the answer path screened (`context`), or the output.
 */
export interface Catch {
  direction: 'input' | 'output' | 'context';
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
  /** Blocked, or answered with input, passage or output text a guardrail masked or removed. */
  caught: number;
  caught_rate: number | null;
  /**
   * Completed probes the target declined before its model was called (a RAG collection whose
   * retrieval gave nothing to answer from says "don't know"): not successes, but not attacks the
   * model or a guardrail withstood either.
   */
  refused: number;
  errors: number;
}

export interface RedTeamReport {
  overall: RateRow;
  by_category_language: (RateRow & { category: ProbeCategory; language: ProbeLanguage })[];
  by_language: (RateRow & { language: ProbeLanguage })[];
  by_category: (RateRow & { category: ProbeCategory })[];
  /** Detector × category: how many probes each guardrail acted on, per direction. */
  caught_by: { detector: string; direction: Catch['direction']; category: ProbeCategory; probes: number }[];
  /** Per detector: the probes it caught (blocked, masked or removed text), and those it only flagged. */
  by_detector: DetectorRow[];
}

export interface DetectorRow {
  detector: string;
  /** Completed probes the detector caught, on input or output. */
  probes: number;
  /** Of the run's completed probes. */
  rate: number | null;
  /** Of those, the probes it blocked on input. */
  blocked: number;
  input: number;
  output: number;
  /** Of those, probes where it removed or masked a retrieved passage. */
  context: number;
  /** Of those, attacks that still succeeded (a mask that left enough to leak, say). */
  successes: number;
  /** Completed probes it flagged without acting on them (a policy in observe mode). */
  flagged: number;
}

/** How each detector did over the run's completed probes. */
function detectorRows(results: readonly ProbeResult[]): DetectorRow[] {
  const completed = results.filter((result) => result.outcome !== 'error');
  const rows = new Map<string, DetectorRow>();
  for (const result of completed) {
    const acted = new Map<string, Set<string>>();
    for (const entry of result.caught_by) {
      const kinds = acted.get(entry.detector) ?? new Set<string>();
      kinds.add(entry.action === 'flag' ? 'flag' : entry.direction);
      if (entry.action === 'block' && entry.direction === 'input') kinds.add('block');
      acted.set(entry.detector, kinds);
    }
    for (const [detector, kinds] of acted) {
      const row = rows.get(detector) ?? {
        detector,
        probes: 0,
        rate: null,
        blocked: 0,
        input: 0,
        output: 0,
        context: 0,
        successes: 0,
        flagged: 0,
      };
      const caught = kinds.has('input') || kinds.has('output') || kinds.has('context');
      if (caught) {
        row.probes++;
        if (kinds.has('input')) row.input++;
        if (kinds.has('output')) row.output++;
        if (kinds.has('context')) row.context++;
        if (kinds.has('block')) row.blocked++;
        if (result.success) row.successes++;
      } else row.flagged++;
      rows.set(detector, row);
    }
  }
  return [...rows.values()]
    .map((row) => ({ ...row, rate: completed.length ? row.probes / completed.length : null }))
    .sort((a, b) => b.probes - a.probes || a.detector.localeCompare(b.detector));
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
    refused: count((result) => result.outcome === 'refused_retrieval'),
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
    by_detector: detectorRows(results),
  };
}
