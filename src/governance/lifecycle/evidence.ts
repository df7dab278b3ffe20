/**
 * @module governance/lifecycle/evidence
 * The evidence a move needs, as a list of what is missing (empty: the move may go ahead).
 * Passing validation (validate → approve) needs evaluation runs under the approach that meet its
 * thresholds, a completed risk assessment that does not prohibit the use, and a passed
 * validation report. Deployment to production needs a valid approval of the current revision.
 */
import type { EvaluationRunsV1 } from '../../spec/evaluation-runs.js';
import type { Missing } from '../approvals/approval-policy.js';
import type { ApproachRow, AssetRow } from '../inventory/rows.js';
import type { RiskSummary } from './risk-reader.js';
import type { Stage } from './stages.js';

export interface EvidenceInput {
  asset: AssetRow;
  approach: ApproachRow;
  /** The evaluation_run assets tracked under the same approach. */
  evaluations: AssetRow[];
  risk: RiskSummary | null;
  useCaseStatus: 'active' | 'blocked' | 'retired';
  production: boolean;
}

/** The metrics of an evaluation asset: uploaded results, or the run read through the port. */
async function metricsOf(
  projectId: string,
  evaluation: AssetRow,
  runs: EvaluationRunsV1 | undefined,
): Promise<Record<string, number> | null> {
  if (evaluation.results?.metrics) return evaluation.results.metrics;
  if (!runs) return null;
  const run = await runs.getRun(projectId, evaluation.ref);
  return run?.status === 'succeeded' ? run.metrics : null;
}

function meets(metrics: Record<string, number>, thresholds: ApproachRow['thresholds']): string[] {
  const failures: string[] = [];
  for (const [metric, bound] of Object.entries(thresholds)) {
    const value = metrics[metric];
    if (value === undefined) failures.push(`${metric} not measured`);
    else if (bound.min !== undefined && value < bound.min) failures.push(`${metric} ${value} < ${bound.min}`);
    else if (bound.max !== undefined && value > bound.max) failures.push(`${metric} ${value} > ${bound.max}`);
  }
  return failures;
}

export async function evidenceMissing(
  to: Stage,
  input: EvidenceInput,
  runs: EvaluationRunsV1 | undefined,
): Promise<Missing[]> {
  const missing: Missing[] = [];
  const prohibited =
    input.risk?.prohibited || input.risk?.tier === 'prohibited' || input.useCaseStatus === 'blocked';
  const forward = to === 'validate' || to === 'approve' || to === 'deploy' || to === 'monitor';
  if (prohibited && forward) {
    missing.push({
      code: 'use_case_prohibited',
      message: 'the risk assessment marks this use as prohibited',
    });
    return missing;
  }
  if (to === 'approve') {
    const evaluations = input.asset.kind === 'evaluation_run' ? [input.asset] : input.evaluations;
    if (!evaluations.length) {
      missing.push({
        code: 'evaluation_missing',
        message: `no evaluation run is tracked under approach v${input.approach.version}`,
      });
    } else {
      let best: string[] | null = null;
      for (const evaluation of evaluations) {
        const metrics = await metricsOf(input.asset.project_id, evaluation, runs);
        if (!metrics) continue;
        const failures = meets(metrics, input.approach.thresholds);
        if (!best || failures.length < best.length) best = failures;
        if (!failures.length) break;
      }
      if (!best)
        missing.push({ code: 'evaluation_missing', message: 'no completed evaluation run with results' });
      else if (best.length)
        missing.push({
          code: 'threshold_not_met',
          message: `the best evaluation run misses: ${best.join('; ')}`,
        });
    }
    if (!input.risk)
      missing.push({ code: 'risk_assessment_missing', message: 'no completed risk assessment' });
    if (!input.asset.validation_report)
      missing.push({ code: 'validation_report_missing', message: 'no validation report' });
    else if ((input.asset.validation_report.revision ?? input.asset.revision) !== input.asset.revision)
      missing.push({
        code: 'validation_report_stale',
        message: `the validation report covers revision ${input.asset.validation_report.revision}, not ${input.asset.revision}`,
      });
    else if (!input.asset.validation_report.passed)
      missing.push({ code: 'validation_failed', message: 'the validation report did not pass' });
  }
  if (to === 'deploy' && input.production) {
    const approved =
      input.asset.approved_revision !== null && input.asset.approved_revision === input.asset.revision;
    if (!approved)
      missing.push({
        code: 'approval_missing',
        message: `revision ${input.asset.revision} has no valid approval (see GET /api/v1/approvals?asset_id=${input.asset.id})`,
      });
  }
  return missing;
}
